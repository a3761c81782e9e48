#include "engine/crud/values.h"

#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <regex>
#include <sstream>

namespace slate::engine::crud {

const char* const invalid_format_message = "One of the provided values has an invalid format.";

using models::ValueKind;

std::string json_text(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

void throw_crud_error(const std::string& text) {
    JsonWriter body;
    body.begin_object().field("message", text).end_object();
    throw Error(ErrorKind::bad_request, text, body.take());
}

std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out.push_back(',');
        out.push_back('"');
        for (char c : items[i]) {
            if (c == '"' || c == '\\')
                out.push_back('\\');
            out.push_back(c);
        }
        out.push_back('"');
    }
    return out + "}";
}

namespace {

bool iso_date_or_datetime(const std::string& text) {
    static const std::regex iso(R"(^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$)");
    return std::regex_match(text, iso);
}

std::string scalar_text(const models::Column& column, const Poco::Dynamic::Var& value) {
    if (value.isString())
        return value.extract<std::string>();
    if (value.isBoolean())
        return value.extract<bool>() ? "true" : "false";
    if (value.isNumeric())
        return value.convert<std::string>();
    throw_crud_error(invalid_format_message);
    (void)column;
}

} // namespace

db::Param body_value(const models::Column& column, const Poco::Dynamic::Var& value, bool strict_dates) {
    if (value.isEmpty())
        return std::nullopt;
    switch (column.kind) {
    case ValueKind::json: return json_text(value);
    case ValueKind::json_array:
    case ValueKind::text_array: {
        if (value.type() != typeid(Poco::JSON::Array::Ptr))
            throw_crud_error(invalid_format_message);
        std::vector<std::string> items;
        for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
            items.push_back(column.kind == ValueKind::json_array ? json_text(item) : scalar_text(column, item));
        return array_literal(items);
    }
    case ValueKind::boolean:
        if (!value.isBoolean())
            throw_crud_error(invalid_format_message);
        return std::string(value.extract<bool>() ? "true" : "false");
    case ValueKind::integer:
    case ValueKind::floating:
        if (!value.isNumeric() && !value.isString())
            throw_crud_error(invalid_format_message);
        return value.convert<std::string>();
    case ValueKind::uuid: {
        const std::string text = scalar_text(column, value);
        if (!is_uuid(text))
            throw_crud_error(invalid_format_message);
        return text;
    }
    case ValueKind::timestamp:
    case ValueKind::date: {
        const std::string text = scalar_text(column, value);
        if (text.empty())
            return std::nullopt;
        if (!iso_date_or_datetime(text)) {
            if (strict_dates) // Zou's _validate_date_fields: a WrongParameterException
                throw_wrong_parameter("Invalid date format for '" + column.name + "': '" + text +
                                      "'. Expected an ISO 8601 date or datetime.");
            throw_crud_error(invalid_format_message);
        }
        return text;
    }
    default: {
        const std::string text = scalar_text(column, value);
        if (!column.choices.empty() &&
            std::find(column.choices.begin(), column.choices.end(), text) == column.choices.end())
            throw_crud_error(invalid_format_message);
        return text;
    }
    }
}

std::string filter_value(const models::Column& column, const std::string& value) {
    switch (column.kind) {
    case ValueKind::uuid:
        if (!is_uuid(value))
            throw Error(ErrorKind::bad_request, "Invalid UUID value: " + value);
        return value;
    case ValueKind::boolean: {
        std::string lower = value;
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* yes : {"y", "yes", "t", "true", "on", "1"})
            if (lower == yes)
                return "true";
        for (const char* no : {"n", "no", "f", "false", "off", "0"})
            if (lower == no)
                return "false";
        throw Error(ErrorKind::bad_request, "Invalid boolean value: " + value);
    }
    default: return value;
    }
}

} // namespace slate::engine::crud
