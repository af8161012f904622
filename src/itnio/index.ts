/**
 * The vendor's adapter, its one public entry: the client, its failure, the vendor's code table and
 * the sipQuery parsers the tests and the playground read.
 */
export { sipQueryAnswerOf, sipQueryPageOf } from './answers.js';
export { ItnioError, VENDOR_STATUSES } from './failures.js';
export { ItnioClient } from './itnio-client.js';
