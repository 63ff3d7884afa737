import { contract, isMethodName, type ApiHandlers, type MethodName } from './contract';
import { ApiError } from './errors';

/**
 * The edge every transport goes through: the method must be in the contract and its arguments
 * must pass the contract's schema before a handler sees them.
 */
export async function dispatch(handlers: ApiHandlers, method: string, rawArgs: unknown, signal?: AbortSignal): Promise<unknown> {
  if (!isMethodName(method)) throw new ApiError('invalid-arguments', `Unknown API call "${method}".`);
  const parsed = contract[method].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    throw new ApiError('invalid-arguments', `${method}: ${detail}`);
  }
  const handler = handlers[method as MethodName] as (args: unknown, signal?: AbortSignal) => unknown;
  return handler(parsed.data, signal);
}
