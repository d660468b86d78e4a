/** The last line of the banner `pnpm start` prints once every process is ready. */
export const BANNER_END = 'Press Ctrl-C to stop.';

/**
 * The URL of each process in the banner of the last start in `output`, or null while the banner is not
 * complete (a reader must never act on half of it).
 */
export function bannerUrls(output: string): Record<string, string> | null {
  const start = output.lastIndexOf('ESTIA network is running');
  if (start < 0) return null;
  const banner = output.slice(start);
  if (!banner.includes(BANNER_END)) return null;
  const urls: Record<string, string> = {};
  for (const match of banner.matchAll(/^ {2}(console|registry|referrals|matching|insights)\s+(http:\/\/\S+)/gm))
    urls[match[1]!] = match[2]!;
  return urls;
}
