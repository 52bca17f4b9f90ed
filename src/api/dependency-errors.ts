import { isGrpcServiceError } from '@temporalio/client';

const MONGO_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

// gRPC status codes that mean "the Temporal frontend did not answer", not "the request was wrong".
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * Whether an error a route let through means a dependency is down rather than a bug: such errors answer 503
 * (retry later) instead of 500. Checks the error and its causes, since the Temporal client wraps gRPC errors.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (MONGO_UNREACHABLE.has(current.name)) return true;
    // ioredis while disconnected: enableOfflineQueue is off (src/store/redis.ts), or the one retry was used up.
    if (current.name === 'MaxRetriesPerRequestError' || current.message.startsWith("Stream isn't writeable"))
      return true;
    if (isGrpcServiceError(current) && (current.code === GRPC_UNAVAILABLE || current.code === GRPC_DEADLINE_EXCEEDED)) {
      return true;
    }
  }
  return false;
}
