#include "api/multipart.h"

#include "api/request.h"
#include "engine/error.h"
#include "engine/uuid.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>

#include <fstream>
#include <istream>
#include <streambuf>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

/// The body, read through a fixed buffer, ending (and marked exceeded) past a byte limit.
class LimitedInput : public std::streambuf {
public:
    LimitedInput(std::istream& source, int64_t limit) : m_source(source), m_left(limit) {}
    bool exceeded() const { return m_exceeded; }

protected:
    int_type underflow() override {
        if (gptr() < egptr())
            return traits_type::to_int_type(*gptr());
        m_source.read(m_buffer, sizeof m_buffer);
        const std::streamsize got = m_source.gcount();
        if (got <= 0)
            return traits_type::eof();
        if (got > m_left) {
            m_exceeded = true;
            return traits_type::eof();
        }
        m_left -= got;
        setg(m_buffer, m_buffer, m_buffer + got);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::istream& m_source;
    int64_t m_left;
    bool m_exceeded = false;
    char m_buffer[64 * 1024];
};

/// Writes each file part to its own file in the spool folder.
class SpoolingParts : public Poco::Net::PartHandler {
public:
    explicit SpoolingParts(MultipartForm& form) : m_form(form) {}
    bool disk_failed = false;

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        if (header.has("Content-Disposition"))
            Poco::Net::MessageHeader::splitParameters(header["Content-Disposition"], disposition, params);
        UploadedFile file;
        file.filename = params.get("filename", "");
        file.content_type = header.get("Content-Type", "application/octet-stream");
        file.path = m_form.spool->folder() / ("part-" + std::to_string(m_form.files.size()));
        std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
        char buffer[64 * 1024];
        while (stream) {
            stream.read(buffer, sizeof buffer);
            const std::streamsize got = stream.gcount();
            if (got <= 0)
                break;
            out.write(buffer, got);
            file.size += got;
        }
        out.close();
        if (!out)
            disk_failed = true;
        m_form.files.emplace_back(params.get("name", ""), std::move(file));
    }

private:
    MultipartForm& m_form;
};

} // namespace

UploadSpool::~UploadSpool() {
    std::error_code ignored;
    fs::remove_all(m_folder, ignored);
}

bool is_multipart(const std::string& content_type) {
    return content_type.find("multipart/form-data") != std::string::npos;
}

MultipartForm read_multipart(std::istream& body, const std::string& content_type, const fs::path& spool_root,
                             int64_t max_bytes) {
    MultipartForm form;
    std::error_code made;
    const fs::path folder = spool_root / ("upload-" + engine::new_uuid());
    fs::create_directories(folder, made);
    if (made)
        throw Error(ErrorKind::unavailable, "The upload could not be written to temporary storage.");
    form.spool = std::make_shared<UploadSpool>(folder);
    LimitedInput limited(body, max_bytes);
    std::istream input(&limited);
    SpoolingParts parts(form);
    Poco::Net::HTTPRequest headers(Poco::Net::HTTPRequest::HTTP_POST, "/");
    headers.setContentType(content_type);
    try {
        Poco::Net::HTMLForm html;
        html.setFieldLimit(1000);
        html.load(headers, input, parts);
        for (const auto& [name, value] : html)
            form.fields.emplace(name, value);
    } catch (const Poco::Exception&) {
        if (!limited.exceeded())
            throw_bad_request("The multipart body cannot be read.");
    }
    if (limited.exceeded())
        throw Error(ErrorKind::payload_too_large, "The request body is too large.");
    if (parts.disk_failed)
        throw Error(ErrorKind::unavailable, "The upload could not be written to temporary storage.");
    return form;
}

const MultipartForm& multipart_form(const Request& request) {
    static const MultipartForm none;
    return request.form ? *request.form : none;
}

std::optional<UploadedFile> uploaded_file(const Request& request, const std::string& field) {
    for (const auto& [name, file] : multipart_form(request).files)
        if (name == field)
            return file;
    return std::nullopt;
}

} // namespace slate::api
