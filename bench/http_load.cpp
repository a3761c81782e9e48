#include "http_load.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

namespace slate::bench {

LoadResult run_load(int port, const std::string& path, const std::string& token, int clients, int requests_per_client) {
    LoadResult result;
    std::mutex merge;
    std::vector<std::thread> threads;
    const auto started = std::chrono::steady_clock::now();
    for (int client = 0; client < clients; ++client) {
        threads.emplace_back([&] {
            std::vector<double> mine;
            int errors = 0;
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
            session.setKeepAlive(true);
            for (int i = 0; i < requests_per_client; ++i) {
                const auto begin = std::chrono::steady_clock::now();
                try {
                    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
                    request.set("Authorization", "Bearer " + token);
                    request.setKeepAlive(true);
                    session.sendRequest(request);
                    Poco::Net::HTTPResponse response;
                    std::istream& body = session.receiveResponse(response);
                    Poco::NullOutputStream sink;
                    Poco::StreamCopier::copyStream(body, sink);
                    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
                        ++errors;
                } catch (const std::exception&) {
                    ++errors;
                    session.reset();
                }
                mine.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
            }
            std::lock_guard lock(merge);
            result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
            result.errors += errors;
        });
    }
    for (auto& thread : threads)
        thread.join();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

namespace {

/// One keep-alive connection; -1 when it cannot connect.
int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

/// Reads one answer (head, then Content-Length bytes); its status, or 0 on a broken answer.
int read_answer(int fd, std::string& buffer) {
    buffer.clear();
    std::size_t head_end = std::string::npos;
    char chunk[65536];
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0)
            return 0;
        buffer.append(chunk, static_cast<std::size_t>(got));
    }
    std::string head = buffer.substr(0, head_end);
    for (auto& ch : head)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto length_at = head.find("content-length:");
    if (length_at == std::string::npos)
        return 0;
    const std::size_t length = std::stoul(head.substr(length_at + 15));
    while (buffer.size() < head_end + 4 + length) {
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0)
            return 0;
        buffer.append(chunk, static_cast<std::size_t>(got));
    }
    return std::atoi(buffer.c_str() + 9); // "HTTP/1.1 200"
}

} // namespace

LoadResult run_timed_load(int port, const std::string& path, const std::string& token, int clients, double seconds) {
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n";
    if (!token.empty())
        request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    LoadResult result;
    std::mutex merge;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto started = std::chrono::steady_clock::now();
    for (int client = 0; client < clients; ++client) {
        threads.emplace_back([&] {
            std::vector<double> mine;
            mine.reserve(100000);
            int errors = 0;
            std::string buffer;
            int fd = connect_to(port);
            while (!stop.load(std::memory_order_relaxed)) {
                const auto begin = std::chrono::steady_clock::now();
                const bool sent = fd >= 0 && ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                                                 static_cast<ssize_t>(request.size());
                const int status = sent ? read_answer(fd, buffer) : 0;
                if (status != 200) {
                    ++errors;
                    if (status == 0) { // broken: a new connection
                        if (fd >= 0)
                            ::close(fd);
                        fd = connect_to(port);
                    }
                }
                mine.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
            }
            if (fd >= 0)
                ::close(fd);
            std::lock_guard lock(merge);
            result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
            result.errors += errors;
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& thread : threads)
        thread.join();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

int connect_from_loopback(int port, int index) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_addr.s_addr = htonl(0x7f000000u + 2u + static_cast<uint32_t>(index / 1000));
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    to.sin_addr.s_addr = htonl(0x7f000001u);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        if (fd >= 0)
            ::close(fd);
        return -1;
    }
    return fd;
}

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

double percentile(std::vector<double>& values, double fraction) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(fraction * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

} // namespace slate::bench
