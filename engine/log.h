#pragma once
// engine/log.h: the logging facade. One line per event on stderr, with time and level.
//   error: someone must act; warning: degraded but serving; info: start-up, migrations,
//   listening, job state changes; debug: per-request detail.
// Never log passwords, tokens, cookies, secrets or request bodies.

#include <string_view>

namespace slate::log {

enum class Level { debug = 0, info = 1, warning = 2, error = 3 };

/// Lines below this level are dropped. Thread-safe.
void set_level(Level level);
bool enabled(Level level);

void write(Level level, std::string_view message);

inline void debug(std::string_view m) {
    write(Level::debug, m);
}
inline void info(std::string_view m) {
    write(Level::info, m);
}
inline void warning(std::string_view m) {
    write(Level::warning, m);
}
inline void error(std::string_view m) {
    write(Level::error, m);
}

} // namespace slate::log
