#include "api/multipart.h"

#include "api/request.h"
#include "engine/error.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace slate::api {
namespace {

/// Keeps the first part of the wanted name.
class FilePart : public Poco::Net::PartHandler {
public:
    explicit FilePart(std::string field) : m_field(std::move(field)) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        if (header.has("Content-Disposition"))
            Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disposition, params);
        if (params.get("name", "") != m_field || found)
            return;
        UploadedFile file;
        file.filename = params.get("filename", "");
        file.content_type = header.get("Content-Type", "application/octet-stream");
        Poco::StreamCopier::copyToString(stream, file.bytes);
        found = std::move(file);
    }

    std::optional<UploadedFile> found;

private:
    std::string m_field;
};

/// Keeps every part: files by part name, the rest as fields.
class AllParts : public Poco::Net::PartHandler {
public:
    explicit AllParts(MultipartForm& form) : m_form(form) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        if (header.has("Content-Disposition"))
            Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disposition, params);
        UploadedFile file;
        file.filename = params.get("filename", "");
        file.content_type = header.get("Content-Type", "application/octet-stream");
        Poco::StreamCopier::copyToString(stream, file.bytes);
        m_form.files.emplace_back(params.get("name", ""), std::move(file));
    }

private:
    MultipartForm& m_form;
};

} // namespace

MultipartForm multipart_form(const Request& request) {
    MultipartForm form;
    const std::string content_type = request.header("content-type");
    if (content_type.find("multipart/form-data") == std::string::npos)
        return form;
    AllParts parts(form);
    Poco::Net::HTTPRequest headers(Poco::Net::HTTPRequest::HTTP_POST, "/");
    headers.setContentType(content_type);
    std::istringstream body(request.body);
    try {
        Poco::Net::HTMLForm html;
        html.load(headers, body, parts);
        for (const auto& [name, value] : html)
            form.fields.emplace(name, value);
    } catch (const Poco::Exception&) {
        throw_bad_request("The multipart body cannot be read.");
    }
    return form;
}

std::optional<UploadedFile> uploaded_file(const Request& request, const std::string& field) {
    const std::string content_type = request.header("content-type");
    if (content_type.find("multipart/form-data") == std::string::npos)
        return std::nullopt;
    FilePart part(field);
    Poco::Net::HTTPRequest headers(Poco::Net::HTTPRequest::HTTP_POST, "/");
    headers.setContentType(content_type);
    std::istringstream body(request.body);
    try {
        Poco::Net::HTMLForm form;
        form.load(headers, body, part);
    } catch (const Poco::Exception&) {
        throw_bad_request("The multipart body cannot be read.");
    }
    return std::move(part.found);
}

} // namespace slate::api
