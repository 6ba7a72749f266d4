export { parseDuration } from "../util/duration.js";
export { base32, randomId } from "../util/random.js";
export { formatSize, parseSize } from "../util/sizes.js";
export { isBase64Sha256 } from "./checksum.js";
export { MAX_SEGMENT_LENGTH, safeSegment } from "./key-segment.js";
export {
  DEFAULT_KEY_TEMPLATE,
  KEY_VARIABLES,
  type KeyVariable,
  type KeyVars,
  renderKey,
  validateKeyTemplate,
} from "./keys.js";
export {
  DEFAULT_MULTIPART_THRESHOLD,
  DEFAULT_PART_SIZE,
  MAX_OBJECT_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MAX_SINGLE_UPLOAD,
  MIN_PART_SIZE,
} from "./limits.js";
export { MAX_METADATA_BYTES, metadataProblem, RESERVED_METADATA_PREFIX } from "./metadata.js";
export {
  describeType,
  describeTypes,
  extensionForType,
  normalizeTypePattern,
  typeMatches,
  validMimeType,
} from "./mime.js";
export { KNOWN_TYPES, type KnownType } from "./mime-table.js";
export { type PartPlan, planParts } from "./parts.js";
export { checkFiles, type FileProblem, type FilesCheck, type RoutePolicy } from "./route.js";
export { routeInfo } from "./route-info.js";
export { routeTypeInfo } from "./route-types.js";
export { isSafeKey, s3KeyProblem } from "./s3-key.js";
export { chooseStrategy } from "./strategy.js";
export { declaredType, extensionOf, isGenericType, typeForName } from "./type-for-name.js";
