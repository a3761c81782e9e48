#include "api/provider_http.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <map>
#include <memory>
#include <mutex>

namespace slate::api {

ProviderAnswer ask_provider(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
    try {
        const Poco::URI uri(url);
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (uri.getScheme() == "https") {
            static const Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
            session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
        } else if (uri.getScheme() == "http") {
            session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        } else {
            throw ProviderError("the provider's address " + url + " is no http(s) URL");
        }
        session->setTimeout(Poco::Timespan(15, 0));
        Poco::Net::HTTPRequest request(method, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Accept", "application/json");
        for (const auto& [name, value] : headers)
            request.set(name, value);
        if (method == "POST")
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        session->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        ProviderAnswer answer;
        Poco::StreamCopier::copyToString(session->receiveResponse(response), answer.body);
        answer.status = static_cast<int>(response.getStatus());
        return answer;
    } catch (const Poco::Exception& e) {
        throw ProviderError("the provider at " + url + " cannot be reached: " + e.displayText());
    }
}

std::string provider_document(const std::string& url, bool refresh) {
    static std::mutex mutex;
    static std::map<std::string, std::string> kept;
    if (!refresh) {
        std::lock_guard lock(mutex);
        if (const auto found = kept.find(url); found != kept.end())
            return found->second;
    }
    const ProviderAnswer answer = ask_provider("GET", url, {});
    if (answer.status != 200)
        throw ProviderError(url + " answered " + std::to_string(answer.status) + ": " + answer.body.substr(0, 300));
    std::lock_guard lock(mutex);
    kept[url] = answer.body;
    return answer.body;
}

std::string url_encode(const std::string& value) {
    std::string encoded;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", encoded);
    return encoded;
}

} // namespace slate::api
