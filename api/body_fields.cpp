#include "api/body_fields.h"

#include "api/multipart.h"
#include "api/request.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace slate::api {

/// A field as sent: JSON values keep their type; query and form values are strings.
struct BodyFields::Value {
    Poco::Dynamic::Var json;
    bool is_null = false;
};

BodyFields::BodyFields(Request& request) : m_request(request) {
    if (request.form) {
        m_from_json = false; // a multipart body: its fields, then the query
        return;
    }
    try {
        request.json();
        m_from_json = true;
    } catch (const Error&) {
        m_from_json = false; // not JSON: Zou falls back to the form and query values
    }
}

std::optional<BodyFields::Value> BodyFields::find(const std::string& name) const {
    if (m_from_json) {
        const auto& body = m_request.json();
        if (!body.has(name))
            return std::nullopt;
        if (body.isNull(name))
            return Value{Poco::Dynamic::Var(), true};
        return Value{body.get(name), false};
    }
    if (m_request.form) {
        const auto field = m_request.form->fields.find(name);
        if (field != m_request.form->fields.end())
            return Value{Poco::Dynamic::Var(field->second), false};
    }
    if (const auto value = m_request.query_value(name))
        return Value{Poco::Dynamic::Var(*value), false};
    if (m_request.header("content-type").find("application/x-www-form-urlencoded") != std::string::npos) {
        Poco::URI::QueryParameters form;
        try {
            form = Poco::URI("?" + m_request.body).getQueryParameters();
        } catch (const Poco::Exception&) {
            return std::nullopt;
        }
        for (const auto& [key, value] : form)
            if (key == name)
                return Value{Poco::Dynamic::Var(value), false};
    }
    return std::nullopt;
}

void BodyFields::fail(const std::string& field, const std::string& message) {
    m_errors.emplace_back(field, message);
}

std::string BodyFields::text(const std::string& name, const std::string& fallback) {
    const auto value = find(name);
    if (!value)
        return fallback;
    if (value->is_null || !value->json.isString()) {
        fail(name, "Input should be a valid string");
        return fallback;
    }
    return value->json.extract<std::string>();
}

std::string BodyFields::required_text(const std::string& name) {
    const auto value = find(name);
    if (!value) {
        fail(name, "Field required");
        return {};
    }
    if (value->is_null || !value->json.isString()) {
        fail(name, "Input should be a valid string");
        return {};
    }
    std::string text = value->json.extract<std::string>();
    if (text.empty())
        fail(name, "String should have at least 1 character");
    return text;
}

std::optional<std::string> BodyFields::optional_text(const std::string& name) {
    const auto value = find(name);
    if (!value || value->is_null)
        return std::nullopt;
    if (!value->json.isString()) {
        fail(name, "Input should be a valid string");
        return std::nullopt;
    }
    return value->json.extract<std::string>();
}

long long BodyFields::integer(const std::string& name, long long fallback) {
    const auto value = find(name);
    if (!value)
        return fallback;
    const auto& json = value->json;
    try {
        if (value->is_null) {
            fail(name, "Input should be a valid integer");
        } else if (json.isBoolean()) {
            return json.extract<bool>() ? 1 : 0;
        } else if (json.isInteger()) {
            return json.convert<long long>();
        } else if (json.isNumeric()) {
            const double number = json.convert<double>();
            if (std::floor(number) == number && std::fabs(number) < 9.2e18)
                return static_cast<long long>(number);
            fail(name, "Input should be a valid integer, got a number with a fractional part");
        } else if (json.isString()) {
            std::string text = json.extract<std::string>();
            const auto first = text.find_first_not_of(" \t\r\n");
            const auto last = text.find_last_not_of(" \t\r\n");
            text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
            size_t used = 0;
            const long long number = std::stoll(text, &used);
            if (used == text.size())
                return number;
            fail(name, "Input should be a valid integer, unable to parse string as an integer");
        } else {
            fail(name, "Input should be a valid integer");
        }
    } catch (const std::exception&) {
        fail(name, "Input should be a valid integer, unable to parse string as an integer");
    }
    return fallback;
}

std::optional<long long> BodyFields::optional_integer(const std::string& name) {
    const auto value = find(name);
    if (!value || value->is_null)
        return std::nullopt;
    const size_t errors = m_errors.size();
    const long long number = integer(name, 0);
    if (m_errors.size() != errors)
        return std::nullopt;
    return number;
}

bool BodyFields::boolean(const std::string& name, bool fallback) {
    const auto value = find(name);
    if (!value)
        return fallback;
    const auto& json = value->json;
    if (!value->is_null) {
        if (json.isBoolean())
            return json.extract<bool>();
        if (json.isInteger()) {
            const long long number = json.convert<long long>();
            if (number == 0 || number == 1)
                return number == 1;
        }
        if (json.isString()) {
            std::string text = json.extract<std::string>();
            for (auto& ch : text)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            for (const char* yes : {"1", "on", "t", "true", "y", "yes"})
                if (text == yes)
                    return true;
            for (const char* no : {"0", "off", "f", "false", "n", "no"})
                if (text == no)
                    return false;
        }
    }
    fail(name, "Input should be a valid boolean");
    return fallback;
}

std::string BodyFields::json_list(const std::string& name) {
    const auto value = find(name);
    if (!value || value->is_null)
        return "[]";
    Poco::Dynamic::Var list = value->json;
    if (list.isString()) {
        const std::string text = list.extract<std::string>();
        if (text.empty())
            return "[]";
        try {
            Poco::JSON::Parser parser;
            list = parser.parse(text);
        } catch (const Poco::Exception&) {
            fail(name, "Input should be a valid list");
            return "[]";
        }
    }
    if (list.type() != typeid(Poco::JSON::Array::Ptr)) {
        fail(name, "Input should be a valid list");
        return "[]";
    }
    std::ostringstream out;
    list.extract<Poco::JSON::Array::Ptr>()->stringify(out);
    return out.str();
}

std::vector<std::string> BodyFields::uuid_list(const std::string& name, bool required) {
    std::vector<std::string> ids;
    const auto value = find(name);
    if (!value || value->is_null) {
        if (required)
            fail(name, value ? "Input should be a valid list" : "Field required");
        return ids;
    }
    if (value->json.type() != typeid(Poco::JSON::Array::Ptr)) {
        fail(name, "Input should be a valid list");
        return ids;
    }
    for (const auto& item : *value->json.extract<Poco::JSON::Array::Ptr>()) {
        const std::string id = item.isString() ? item.extract<std::string>() : std::string();
        if (!engine::is_uuid(id)) {
            fail(name, "Input should be a valid UUID");
            return {};
        }
        ids.push_back(id);
    }
    return ids;
}

std::string BodyFields::choice(const std::string& name, const std::vector<std::string>& allowed,
                               const std::string& fallback) {
    const auto value = find(name);
    if (!value)
        return fallback;
    if (!value->is_null && value->json.isString()) {
        const std::string text = value->json.extract<std::string>();
        for (const auto& option : allowed)
            if (text == option)
                return text;
    }
    std::string expected;
    for (std::size_t index = 0; index < allowed.size(); ++index) {
        if (index > 0)
            expected += index + 1 == allowed.size() ? " or " : ", ";
        expected += "'" + allowed[index] + "'";
    }
    fail(name, "Input should be " + expected);
    return fallback;
}

std::optional<std::string> BodyFields::optional_date(const std::string& name) {
    const auto value = find(name);
    if (!value || value->is_null)
        return std::nullopt;
    const std::string text = value->json.isString() ? value->json.extract<std::string>() : std::string();
    int year = 0, month = 0, day = 0;
    char tail = 0;
    if (text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3 &&
        month >= 1 && month <= 12 && day >= 1 && day <= 31)
        return text;
    fail(name, "Input should be a valid date or datetime, input is too short");
    return std::nullopt;
}

void BodyFields::check() const {
    if (m_errors.empty())
        return;
    engine::JsonWriter body;
    body.begin_object().field("error", true).field("message", "Validation error.").key("data");
    body.begin_object().key("errors").begin_array();
    for (const auto& [field, message] : m_errors)
        body.begin_object().field("field", field).field("message", message).end_object();
    body.end_array().end_object().end_object();
    throw Error(ErrorKind::bad_request, "Validation error.", body.take());
}

} // namespace slate::api
