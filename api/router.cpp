#include "api/router.h"

namespace slate::api {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos)
            slash = path.size();
        if (slash > start)
            segments.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return segments;
}

std::optional<Method> parse_method(const std::string& name) {
    if (name == "GET" || name == "HEAD")
        return Method::get;
    if (name == "POST")
        return Method::post;
    if (name == "PUT")
        return Method::put;
    if (name == "PATCH")
        return Method::patch;
    if (name == "DELETE")
        return Method::del;
    return std::nullopt;
}

void Router::add(const RouteList& routes) {
    for (const auto& route : routes)
        m_routes.push_back({route, split_path(route.path)});
}

namespace {

/// "{name}", "{name}.png" (a literal suffix) or "{name}.{extension}" (a second parameter
/// after the last dot).
bool is_param(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.find('}') != std::string::npos;
}

std::string suffix_of(const std::string& segment) {
    return segment.substr(segment.find('}') + 1);
}

/// ".{extension}": the suffix is itself a parameter.
bool suffix_is_param(const std::string& suffix) {
    return suffix.size() > 3 && suffix[0] == '.' && suffix[1] == '{' && suffix.back() == '}';
}

bool param_fits(const std::string& pattern, const std::string& segment) {
    const std::string suffix = suffix_of(pattern);
    if (suffix_is_param(suffix)) {
        const auto dot = segment.rfind('.');
        return dot != std::string::npos && dot > 0 && dot + 1 < segment.size();
    }
    return segment.size() > suffix.size() &&
           segment.compare(segment.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// How specific a parameter's suffix is: none < ".{extension}" < a literal (longer wins).
std::size_t suffix_rank(const std::string& pattern) {
    const std::string suffix = suffix_of(pattern);
    if (suffix.empty())
        return 0;
    return suffix_is_param(suffix) ? 1 : 2 + suffix.size();
}

/// Whether `a` is more specific than `b`: at the first position where one has a literal and
/// the other a parameter, the literal wins.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        const bool a_param = is_param(a[i]), b_param = is_param(b[i]);
        if (a_param != b_param)
            return !a_param;
        if (a_param && suffix_rank(a[i]) != suffix_rank(b[i]))
            return suffix_rank(a[i]) > suffix_rank(b[i]); // "{id}.png" beats "{id}.{ext}" beats "{id}"
    }
    return false;
}

} // namespace

Match Router::match(Method method, const std::string& path) const {
    const auto segments = split_path(path);
    Match best;
    const Compiled* best_compiled = nullptr;
    for (const auto& compiled : m_routes) {
        if (compiled.segments.size() != segments.size())
            continue;
        bool fits = true;
        for (std::size_t i = 0; i < segments.size() && fits; ++i)
            fits = is_param(compiled.segments[i]) ? param_fits(compiled.segments[i], segments[i])
                                                  : compiled.segments[i] == segments[i];
        if (!fits)
            continue;
        if (compiled.route.method != method) {
            best.path_known = true;
            continue;
        }
        if (best_compiled && !more_specific(compiled.segments, best_compiled->segments))
            continue;
        best_compiled = &compiled;
    }
    if (best_compiled) {
        best.route = &best_compiled->route;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const std::string& pattern = best_compiled->segments[i];
            if (!is_param(pattern))
                continue;
            const std::size_t close = pattern.find('}');
            const std::string suffix = suffix_of(pattern);
            if (suffix_is_param(suffix)) {
                const auto dot = segments[i].rfind('.');
                best.params[pattern.substr(1, close - 1)] = segments[i].substr(0, dot);
                best.params[suffix.substr(2, suffix.size() - 3)] = segments[i].substr(dot + 1);
                continue;
            }
            best.params[pattern.substr(1, close - 1)] = segments[i].substr(0, segments[i].size() - suffix.size());
        }
    }
    return best;
}

} // namespace slate::api
