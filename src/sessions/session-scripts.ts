// The atomic steps of a Redis session turn, as Lua scripts (one round trip each). Every key a script touches
// carries the user's `{u:…}` hash tag (session-keys.ts), so each script runs in one Cluster slot.
import { LuaScript } from "./lua-script.ts";

/**
 * Admit a message, take the turn lock and read the state, in one step.
 * KEYS: lock, state[, rate[, record]]. ARGV: token, leaseMs, phase ('admit' | 'lock'), rateLimit, rateWindowMs.
 * Phase 'admit' (a message's first attempt): a record already there returns `{2, result}` when delivered or `{4}`
 * while in progress (nothing counted); with a rate key the message is counted in a fixed window opened by the
 * user's first message, and one beyond the limit returns `{3, pttl}` (nothing recorded); then the record is
 * claimed as in progress (`p:<token>`, under the lease). Phase 'lock' (a retry while another turn holds the
 * lock) only checks that the claim is still this token's (`{5}` if not: the lease lapsed meanwhile).
 * Then `{1, state|false}` when the lock is taken, `{0}` when another turn holds it.
 */
export const admitAndAcquire = new LuaScript(`
local token, lease, record = ARGV[1], ARGV[2], KEYS[4]
if ARGV[3] == 'admit' then
  if record then
    local seen = redis.call('GET', record)
    if seen then
      if string.sub(seen, 1, 2) == 'd:' then return {2, string.sub(seen, 3)} end
      return {4}
    end
  end
  if KEYS[3] then
    local n = redis.call('INCR', KEYS[3])
    if n == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[5]) end
    if n > tonumber(ARGV[4]) then return {3, redis.call('PTTL', KEYS[3])} end
  end
  if record then redis.call('SET', record, 'p:' .. token, 'PX', lease) end
elseif record and redis.call('GET', record) ~= 'p:' .. token then
  return {5}
end
if redis.call('SET', KEYS[1], token, 'NX', 'PX', lease) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0}
`);

// Deletes everything kept about a user: the records of delivered messages (found through the index; they share
// the user's hash tag), the index, the state, the rate counter and the lock (an overtaken turn cannot write).
// KEYS 1-4 are lock, state, rate, index; the caller's ARGV index `prefixArg` holds the record key prefix.
const forgetUserLua = (prefixArg: number) => `
for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do redis.call('DEL', ARGV[${prefixArg}] .. id) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
`;

/**
 * Write back, record the message as delivered with its result, and release, atomically.
 * KEYS: lock, state, rate, index[, record]. ARGV: token, mode ('set' | 'delete' | 'keep' | 'forget'), value,
 * ttlSeconds, result, dedupeTtlSeconds, idPart, recordPrefix.
 * Fenced: with a record it must still be this token's claim (else the lease lapsed and another delivery may own
 * the message), and a 'set' needs the lock still held by this token (a turn that outlived its lease, or whose user
 * was forgotten meanwhile, must not overwrite). Returns 1, or 0 when fenced off (nothing written).
 */
export const commitAndRelease = new LuaScript(`
local token, mode, record = ARGV[1], ARGV[2], KEYS[5]
if record and redis.call('GET', record) ~= 'p:' .. token then return 0 end
local held = redis.call('GET', KEYS[1]) == token
if mode == 'set' then
  if not held then return 0 end
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
elseif mode == 'delete' then
  redis.call('DEL', KEYS[2])
elseif mode == 'forget' then
  ${forgetUserLua(8)}
  held = false
end
if record then
  local ttl = tonumber(ARGV[6])
  redis.call('SET', record, 'd:' .. ARGV[5], 'EX', ttl)
  local now = redis.call('TIME')
  local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', nowMs)
  redis.call('ZADD', KEYS[4], nowMs + ttl * 1000, ARGV[7])
  redis.call('EXPIRE', KEYS[4], ttl)
end
if held then redis.call('DEL', KEYS[1]) end
return 1
`);

/** Forget a user outside a turn. KEYS: lock, state, rate, index. ARGV: recordPrefix. */
export const forgetUser = new LuaScript(`${forgetUserLua(1)}return 1`);

/**
 * Give up a turn without writing: release the lock and withdraw the message's claim, each only if this token
 * holds it; with `refund` = '1', a withdrawn claim also gives back the message's rate count (it failed for the
 * store's reasons, not the user's). KEYS: lock[, record, rate]. ARGV: token, refund.
 */
export const abandon = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if KEYS[2] and redis.call('GET', KEYS[2]) == 'p:' .. ARGV[1] then
  redis.call('DEL', KEYS[2])
  if ARGV[2] == '1' and KEYS[3] and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
    redis.call('DECR', KEYS[3])
  end
end
return 1
`);

/** Extend the lease of the lock and of the message's claim, each if this token still holds it. KEYS: lock[, record]. ARGV: token, leaseMs. */
export const renew = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if KEYS[2] and redis.call('GET', KEYS[2]) == 'p:' .. ARGV[1] then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
`);

/** Every script, for loading on each connection. */
export const SESSION_SCRIPTS = [admitAndAcquire, commitAndRelease, forgetUser, abandon, renew] as const;
