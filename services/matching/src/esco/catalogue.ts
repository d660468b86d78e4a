import { OCCUPATION_URI_PREFIX, SKILL_URI_PREFIX, type EscoDataset } from './dataset.js';

export interface Occupation {
  id: string;
  uri: string;
  preferredLabel: string;
  altLabels: readonly string[];
  /** ISCO-08 unit group (4 digits). */
  isco: string;
}

export interface Skill {
  id: string;
  uri: string;
  preferredLabel: string;
  altLabels: readonly string[];
  type: 'skill' | 'knowledge';
}

export interface IscoGroup {
  code: string;
  label: string;
  /** null for the ten major groups (1 digit). */
  parent: string | null;
  level: 1 | 2 | 3 | 4;
}

/**
 * Read access to ESCO by short id (the UUID ending the ESCO URI) or full URI. Skills and occupations also
 * have a dense index (0..n-1) so the matching engine can intern them into typed arrays.
 * Unknown codes give null / -1, never an exception: callers decide whether that is a validation error.
 */
export class EscoCatalogue {
  readonly version: string;
  readonly occupationCount: number;
  readonly skillCount: number;
  private readonly occupationIdx = new Map<string, number>();
  private readonly skillIdx = new Map<string, number>();
  private readonly iscoLabels = new Map<string, string>();

  constructor(readonly dataset: EscoDataset) {
    this.version = dataset.version;
    this.occupationCount = dataset.occupations.length;
    this.skillCount = dataset.skills.length;
    dataset.occupations.forEach((o, i) => this.occupationIdx.set(o[0], i));
    dataset.skills.forEach((s, i) => this.skillIdx.set(s[0], i));
    for (const [code, label] of dataset.isco) this.iscoLabels.set(code, label);
  }

  occupationIndex(idOrUri: string): number {
    return this.occupationIdx.get(stripPrefix(idOrUri, OCCUPATION_URI_PREFIX)) ?? -1;
  }

  skillIndex(idOrUri: string): number {
    return this.skillIdx.get(stripPrefix(idOrUri, SKILL_URI_PREFIX)) ?? -1;
  }

  occupation(idOrUri: string): Occupation | null {
    const i = this.occupationIndex(idOrUri);
    return i < 0 ? null : this.occupationAt(i);
  }

  occupationAt(i: number): Occupation {
    const row = this.dataset.occupations[i];
    if (!row) throw new RangeError(`no occupation at index ${i}`);
    const [id, isco, preferredLabel, altLabels] = row;
    return { id, uri: OCCUPATION_URI_PREFIX + id, preferredLabel, altLabels, isco };
  }

  skill(idOrUri: string): Skill | null {
    const i = this.skillIndex(idOrUri);
    return i < 0 ? null : this.skillAt(i);
  }

  skillAt(i: number): Skill {
    const row = this.dataset.skills[i];
    if (!row) throw new RangeError(`no skill at index ${i}`);
    const [id, type, preferredLabel, altLabels] = row;
    return { id, uri: SKILL_URI_PREFIX + id, preferredLabel, altLabels, type: type === 'K' ? 'knowledge' : 'skill' };
  }

  skillLabelAt(i: number): string {
    return this.dataset.skills[i]?.[2] ?? '';
  }

  skillIdAt(i: number): string {
    return this.dataset.skills[i]?.[0] ?? '';
  }

  occupationIscoAt(i: number): string {
    return this.dataset.occupations[i]?.[1] ?? '';
  }

  iscoGroup(code: string): IscoGroup | null {
    const label = this.iscoLabels.get(code);
    if (label === undefined) return null;
    return {
      code,
      label,
      parent: code.length > 1 ? code.slice(0, -1) : null,
      level: code.length as IscoGroup['level'],
    };
  }

  /** The groups from the major group (1 digit) down to `code`. */
  iscoPath(code: string): IscoGroup[] {
    const path: IscoGroup[] = [];
    for (let n = 1; n <= code.length; n++) {
      const group = this.iscoGroup(code.slice(0, n));
      if (!group) return [];
      path.push(group);
    }
    return path;
  }

  iscoChildren(code: string): IscoGroup[] {
    return this.dataset.isco
      .filter(([c]) => c.length === code.length + 1 && c.startsWith(code))
      .map(([c]) => this.iscoGroup(c) as IscoGroup);
  }

  /** Essential skills of an occupation as dense skill indices (empty for unknown occupations). */
  essentialSkillIndices(occupationIdOrUri: string): readonly number[] {
    const i = this.occupationIndex(occupationIdOrUri);
    return i < 0 ? [] : (this.dataset.essential[i] ?? []);
  }

  optionalSkillIndices(occupationIdOrUri: string): readonly number[] {
    const i = this.occupationIndex(occupationIdOrUri);
    return i < 0 ? [] : (this.dataset.optional[i] ?? []);
  }

  essentialSkills(occupationIdOrUri: string): Skill[] {
    return this.essentialSkillIndices(occupationIdOrUri).map((s) => this.skillAt(s));
  }

  optionalSkills(occupationIdOrUri: string): Skill[] {
    return this.optionalSkillIndices(occupationIdOrUri).map((s) => this.skillAt(s));
  }
}

const stripPrefix = (value: string, prefix: string): string =>
  value.startsWith(prefix) ? value.slice(prefix.length) : value;
