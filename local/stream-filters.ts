import type { DynamoDBRecord } from 'aws-lambda';

/**
 * Lambda event filtering for stream records, as an event source mapping's `FilterCriteria` says: a record is
 * delivered when any pattern matches it. A pattern is matched field by field against the record as Lambda
 * sees it (`eventName`, `dynamodb.Keys`, `dynamodb.NewImage`…): an object descends, an array lists the
 * accepted values — plain values, `{ prefix }`, `{ exists }` or `{ "anything-but": [...] }`. Other operators
 * are refused when the runtime starts, rather than silently delivering what AWS would filter out.
 */
export type FilterPattern = Record<string, unknown>;

export function checkFilterPatterns(patterns: readonly unknown[], where: string): FilterPattern[] {
  return patterns.map((pattern) => {
    if (!isRecord(pattern)) throw new Error(`${where}: a filter pattern must be an object`);
    checkNode(pattern, where);
    return pattern;
  });
}

export function matchesFilters(patterns: readonly FilterPattern[], record: DynamoDBRecord): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesObject(pattern, record));
}

function matchesObject(pattern: Record<string, unknown>, value: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const field = isRecord(value) ? value[key] : undefined;
    if (Array.isArray(rule)) return rule.some((accepted) => matchesValue(accepted, field));
    return isRecord(rule) && matchesObject(rule, field);
  });
}

function matchesValue(accepted: unknown, field: unknown): boolean {
  if (!isRecord(accepted)) return field !== undefined && accepted === field;
  if ('prefix' in accepted) return typeof field === 'string' && field.startsWith(String(accepted.prefix));
  if ('exists' in accepted) return (field !== undefined) === (accepted.exists === true);
  if ('anything-but' in accepted) {
    const refused = accepted['anything-but'];
    return field !== undefined && !(Array.isArray(refused) ? refused : [refused]).includes(field);
  }
  return false;
}

function checkNode(pattern: Record<string, unknown>, where: string): void {
  for (const [key, rule] of Object.entries(pattern)) {
    if (Array.isArray(rule)) {
      for (const accepted of rule) {
        if (!isRecord(accepted)) continue;
        const operators = Object.keys(accepted);
        if (operators.length !== 1 || !['prefix', 'exists', 'anything-but'].includes(operators[0] ?? '')) {
          throw new Error(
            `${where}: the filter operator ${JSON.stringify(accepted)} on ${key} is not emulated`,
          );
        }
      }
    } else if (isRecord(rule)) {
      checkNode(rule, where);
    } else {
      throw new Error(`${where}: the filter on ${key} must be an object or a list of values`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
