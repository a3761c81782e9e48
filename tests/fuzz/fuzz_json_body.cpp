// tests/fuzz/fuzz_json_body.cpp: libFuzzer target for request bodies read as JSON: the input
// is a body given to engine::parse_json_object (and engine::optional_string on each member),
// then to api::BodyFields on a Request, as a JSON body and as a form-urlencoded one, every
// kind of field read. slate::Error (bad_request, the gathered validation errors) is an answer;
// anything else escaping, or a sanitizer report, is a finding.
#include "api/body_fields.h"
#include "api/request.h"
#include "engine/error.h"
#include "engine/json.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

template <typename Call>
void quietly(Call call) {
    try {
        call();
    } catch (const slate::Error&) {
        // A body the reader refuses is an answer, not a finding.
    }
}

void read_fields(const std::string& body, const char* content_type) {
    slate::api::Request request;
    request.method = "POST";
    request.body = body;
    request.headers["content-type"] = content_type;
    request.query.emplace("name", "from-query");
    quietly([&] {
        slate::api::BodyFields fields(request);
        (void)fields.text("name", "fallback");
        (void)fields.required_text("name");
        (void)fields.optional_text("description");
        (void)fields.integer("count", 7);
        (void)fields.optional_integer("count");
        (void)fields.boolean("flag", false);
        (void)fields.json_list("list");
        (void)fields.uuid_list("ids");
        (void)fields.uuid_list("other_ids", false);
        (void)fields.choice("kind", {"a", "b", "c"}, "a");
        (void)fields.optional_date("date");
        fields.check();
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    quietly([&] {
        const auto object = slate::engine::parse_json_object(body);
        for (const auto& name : object->getNames()) {
            quietly([&] {
                std::string out;
                slate::engine::append_json_string(out, slate::engine::optional_string(*object, name));
            });
        }
    });
    read_fields(body, "application/json");
    read_fields(body, "application/x-www-form-urlencoded");
    return 0;
}
