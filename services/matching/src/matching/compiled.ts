/** Sentinels for open-ended windows in epoch days. */
export const NEVER = 2_147_483_647;
export const ALWAYS = -2_147_483_648;

/** Interns short codes (ISO 639 languages, ISO 3166 countries) to small integers, and back. */
export class Interner {
  private readonly codes = new Map<string, number>();
  private readonly names: string[] = [];
  intern(code: string): number {
    let n = this.codes.get(code);
    if (n === undefined) {
      this.codes.set(code, (n = this.names.length));
      this.names.push(code);
    }
    return n;
  }
  name(n: number): string {
    return this.names[n]!;
  }
}

/** An ISCO-08 code as 1 followed by its 4 digits, so "0110" keeps its leading zero and a shared prefix is a shared quotient. */
export const iscoKey = (code: string): number => Number(`1${code.padEnd(4, '0').slice(0, 4)}`);
