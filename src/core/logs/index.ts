// Slow-request logs: the public surface for the extension and the CLI (no vscode import).
export * from './types';
export { parseDurationText } from './duration';
export { parseTimestamp } from './timestamp';
export { compilePattern, compilePatterns, PATTERN_GROUPS, type PatternResult } from './patterns';
export { recognizeLine } from './recognize';
export { LogScanner, BinaryFileError, scanBuffer, type FastSink, type ScanOptions, type ScanStats } from './scanner';
export { scanLines, type LineSource, type LineScanOptions } from './lines';
export { LogAggregator, summarizeHits, endpointKey, OTHER_ENDPOINTS, type AggregatorOptions, type EndpointStats, type LogSummary, type LogTotals } from './aggregate';
export { analyzeFile, type AnalyzeOptions, type AnalyzeResult } from './analyze';
export { LogFileError } from './read';
export { LogFollower, type FollowEvent, type FollowOptions, type Disposable } from './follow';
