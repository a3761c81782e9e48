#include "report_wrk.h"

#include "engine/error.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace slate::bench {

Target parse_target(const std::string& url) {
    static const std::regex form(R"(http://([A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\])(:([0-9]{1,5}))?/?)");
    std::smatch match;
    if (!std::regex_match(url, match, form))
        throw_bad_request("--against takes http://HOST[:PORT], not '" + url + "'");
    Target target;
    target.host = match[1];
    target.port = match[3].matched ? std::stoi(match[3]) : 80;
    if (target.port < 1 || target.port > 65535)
        throw_bad_request("--against: bad port in '" + url + "'");
    return target;
}

Probe probe(const Target& target, const Request& request) {
    Probe answer;
    try {
        Poco::Net::HTTPClientSession session(target.host, static_cast<Poco::UInt16>(target.port));
        session.setTimeout(Poco::Timespan(60, 0));
        Poco::Net::HTTPRequest http(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!request.token.empty())
            http.set("Authorization", "Bearer " + request.token);
        if (!request.body.empty() || request.method != "GET") {
            http.setContentType("application/json");
            http.setContentLength(static_cast<std::streamsize>(request.body.size()));
        }
        session.sendRequest(http) << request.body;
        Poco::Net::HTTPResponse response;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
        answer.status = response.getStatus();
    } catch (const Poco::Exception& e) {
        answer.status = 0;
        answer.body = e.displayText();
    }
    return answer;
}

std::string login(const Target& target, const std::string& email, const std::string& password) {
    const Probe answer =
        probe(target, {"POST", "/api/auth/login", "", R"({"email":")" + email + R"(","password":")" + password + "\"}"});
    if (answer.status == 0)
        throw std::runtime_error("cannot reach " + target.url() + ": " + answer.body);
    if (answer.status != 200)
        throw std::runtime_error("login of " + email + " at " + target.url() + " answered " +
                                 std::to_string(answer.status) + ": " + answer.body.substr(0, 200));
    return Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>(
        "access_token");
}

bool wrk_available() {
    return std::system("command -v wrk >/dev/null 2>&1") == 0;
}

namespace {

/// "1.23ms", "850.00us", "2.01s" → milliseconds.
double duration_ms(const std::string& text) {
    const double value = std::atof(text.c_str());
    if (text.ends_with("us"))
        return value / 1000;
    if (text.ends_with("ms"))
        return value;
    if (text.ends_with("m"))
        return value * 60000;
    return value * 1000; // "s"
}

std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run: " + command);
    std::array<char, 4096> chunk{};
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe))
        output.append(chunk.data(), n);
    if (pclose(pipe) != 0)
        throw std::runtime_error("wrk failed: " + output.substr(0, 300));
    return output;
}

/// `text` as a Lua string literal.
std::string lua_string(const std::string& text) {
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return quoted + "\"";
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

} // namespace

WrkFigures run_wrk(const Target& target, const Request& request, int connections, double seconds,
                   const std::string& scratch_dir) {
    std::string command = "wrk --latency -t " + std::to_string(std::min(connections, 2)) + " -c " +
                          std::to_string(connections) + " -d " + std::to_string(std::max(1, int(seconds + 0.5))) +
                          "s --timeout 30s";
    if (!request.token.empty())
        command += " -H " + shell_quote("Authorization: Bearer " + request.token);
    if (request.method != "GET" || !request.turns.empty()) {
        const std::string script = scratch_dir + "/request.lua";
        std::ofstream lua(script);
        lua << "wrk.method = " << lua_string(request.method) << "\n";
        if (request.method != "GET")
            lua << "wrk.body = " << lua_string(request.body)
                << "\nwrk.headers[\"Content-Type\"] = \"application/json\"\n";
        if (!request.turns.empty()) {
            // Every request takes the next path; each wrk thread starts half a list apart.
            lua << "paths = {";
            for (const auto& path : request.turns)
                lua << lua_string(path) << ",";
            lua << "}\nturn = 0\nthreads = 0\n"
                   "setup = function(thread)\n  thread:set(\"turn\", threads * math.floor(#paths / 2))\n"
                   "  threads = threads + 1\nend\n"
                   "request = function()\n  turn = turn + 1\n"
                   "  return wrk.format(nil, paths[turn % #paths + 1])\nend\n";
        }
        lua.close();
        command += " -s " + shell_quote(script);
    }
    command += " " + shell_quote(target.url() + request.path) + " 2>&1";
    const std::string output = run_command(command);
    WrkFigures figures;
    std::smatch match;
    static const std::regex p50(R"(\n\s+50%\s+([0-9.]+[a-z]+))"), p99(R"(\n\s+99%\s+([0-9.]+[a-z]+))"),
        rate(R"(Requests/sec:\s+([0-9.]+))"), count(R"(\n\s+([0-9]+) requests in)"),
        non2xx(R"(Non-2xx or 3xx responses:\s+([0-9]+))"),
        socket(R"(Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+))");
    if (!std::regex_search(output, match, rate))
        throw std::runtime_error("wrk said: " + output.substr(0, 300));
    figures.per_second = std::atof(match[1].str().c_str());
    if (std::regex_search(output, match, p50))
        figures.median_ms = duration_ms(match[1]);
    if (std::regex_search(output, match, p99))
        figures.p99_ms = duration_ms(match[1]);
    if (std::regex_search(output, match, count))
        figures.requests = std::atoll(match[1].str().c_str());
    if (std::regex_search(output, match, non2xx))
        figures.errors += std::atoll(match[1].str().c_str());
    if (std::regex_search(output, match, socket))
        for (int i = 1; i <= 4; ++i)
            figures.errors += std::atoll(match[i].str().c_str());
    return figures;
}

} // namespace slate::bench
