// Public API of scenario loading (used by the CLI and the library entry point).
export { loadScenarioFile, loadScenarioText, type LoadOptions } from './load.js';
export { ScenarioError, formatScenarioErrors, type ScenarioIssue } from './errors.js';
export { resolvedYaml } from './resolved.js';
export { scenarioJsonSchema } from './json-schema.js';
export {
  UnitError,
  parseDuration_us,
  parseSize_bytes,
  parseBandwidth_bps,
  parseByteRate_Bps,
  parseRate_per_s,
  parseFraction,
} from './units.js';
