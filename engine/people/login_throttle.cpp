#include "engine/people/login_throttle.h"

#include "engine/config.h"

#include <algorithm>

namespace slate::engine::services {
namespace {

constexpr int64_t locked_try_interval_ms = 1000;
constexpr std::size_t max_entries = 100000; ///< past this, old entries go (a flood of addresses)

} // namespace

LoginThrottle::LoginThrottle(const Config& config) : m_config(config) {}

int LoginThrottle::max_failures() const {
    return std::max(1, m_config.max_login_failed_attempts);
}

int64_t LoginThrottle::window_ms() const {
    return std::max<int64_t>(1, m_config.login_lockout_seconds) * 1000;
}

void LoginThrottle::forget_old(int64_t now_ms) {
    if (m_by_address.size() + m_failed_pairs.size() + m_last_locked_try.size() < max_entries)
        return;
    std::erase_if(m_by_address, [&](const auto& entry) { return now_ms - entry.second.second > window_ms(); });
    std::erase_if(m_failed_pairs, [&](const auto& entry) { return now_ms - entry.second > window_ms(); });
    std::erase_if(m_last_locked_try, [&](const auto& entry) { return now_ms - entry.second > window_ms(); });
}

bool LoginThrottle::address_refused(const std::string& address, int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    const auto found = m_by_address.find(address);
    if (found == m_by_address.end())
        return false;
    if (now_ms - found->second.second > window_ms()) {
        m_by_address.erase(found);
        return false;
    }
    // Twice the account limit: an address may still fail the limit on its own account.
    return found->second.first >= 2 * max_failures();
}

bool LoginThrottle::may_try_locked(const std::string& account, const std::string& address, int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    if (const auto pair = m_failed_pairs.find({account, address});
        pair != m_failed_pairs.end() && now_ms - pair->second <= window_ms())
        return false;
    auto& last = m_last_locked_try[account];
    if (last != 0 && now_ms - last < locked_try_interval_ms)
        return false;
    last = now_ms;
    return true;
}

void LoginThrottle::failed(const std::string& account, const std::string& address, int64_t now_ms) {
    std::lock_guard lock(m_mutex);
    forget_old(now_ms);
    auto& [count, newest] = m_by_address[address];
    count = now_ms - newest > window_ms() ? 1 : count + 1;
    newest = now_ms;
    m_failed_pairs[{account, address}] = now_ms;
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address) {
    std::lock_guard lock(m_mutex);
    m_failed_pairs.erase({account, address});
    m_by_address.erase(address);
    m_last_locked_try.erase(account);
}

} // namespace slate::engine::services
