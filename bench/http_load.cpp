#include "http_load.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace slate::bench {

LoadResult run_load(int port, const std::string& path, const std::string& token, int clients,
                    int requests_per_client) {
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
                mine.push_back(std::chrono::duration<double, std::milli>(
                                   std::chrono::steady_clock::now() - begin)
                                   .count());
            }
            std::lock_guard lock(merge);
            result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
            result.errors += errors;
        });
    }
    for (auto& thread : threads)
        thread.join();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

double percentile(std::vector<double>& values, double fraction) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(fraction * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

} // namespace slate::bench
