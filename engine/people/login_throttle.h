#pragma once
// engine/people/login_throttle.h: who may still try a password once an account is locked.
// Zou locks an account for everyone after MAX_LOGIN_FAILED_ATTEMPTS wrong passwords, so five
// wrong passwords a minute from anywhere keep its owner out for ever. Here the lock-out holds
// for the client addresses that failed on the account; any other address may still try, slowed
// to one password check per account per second, and an address that keeps failing (on any
// account) is refused everywhere until its failures age out. Per process: behind a load
// balancer the slowing multiplies by the number of processes, the lock-out itself does not (it
// is the account's count in PostgreSQL). Thread-safe.

#include "engine/fwd.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace slate::engine::services {

class LoginThrottle {
public:
    /// Reads MAX_LOGIN_FAILED_ATTEMPTS and LOGIN_LOCKOUT_DELAY from `config` at each call.
    explicit LoginThrottle(const Config& config);

    /// Whether `address` failed too often lately, on any account, to try at all.
    bool address_refused(const std::string& address, int64_t now_ms);
    /// Whether `address` may check a password on `account` although the account is locked:
    /// it has not failed on it lately, and no other such check ran on the account in the last
    /// second (the one allowed now is counted).
    bool may_try_locked(const std::string& account, const std::string& address, int64_t now_ms);
    void failed(const std::string& account, const std::string& address, int64_t now_ms);
    void succeeded(const std::string& account, const std::string& address);

private:
    void forget_old(int64_t now_ms);
    int max_failures() const;
    int64_t window_ms() const;

    const Config& m_config;
    std::mutex m_mutex;
    std::map<std::string, std::pair<int, int64_t>> m_by_address;           ///< failures, newest (ms)
    std::map<std::pair<std::string, std::string>, int64_t> m_failed_pairs; ///< (account, address) → newest
    std::map<std::string, int64_t> m_last_locked_try;                      ///< account → last check while locked
};

} // namespace slate::engine::services
