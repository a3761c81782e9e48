#include "engine/auth/cbor.h"

#include "engine/error.h"

namespace slate::engine::auth {
namespace {

constexpr int max_depth = 16;

[[noreturn]] void malformed() {
    throw_bad_request("Malformed CBOR data.");
}

class Reader {
public:
    explicit Reader(std::string_view data) : m_data(data) {}

    CborValue read(int depth) {
        if (depth > max_depth)
            malformed();
        const uint8_t initial = byte();
        const int major = initial >> 5;
        const uint64_t argument = read_argument(initial & 0x1f);
        CborValue value;
        switch (major) {
        case 0:
            if (argument > static_cast<uint64_t>(INT64_MAX))
                malformed();
            value.type = CborValue::Type::unsigned_int;
            value.integer = static_cast<int64_t>(argument);
            break;
        case 1:
            if (argument > static_cast<uint64_t>(INT64_MAX))
                malformed();
            value.type = CborValue::Type::negative_int;
            value.integer = -1 - static_cast<int64_t>(argument);
            break;
        case 2:
        case 3:
            value.type = major == 2 ? CborValue::Type::bytes : CborValue::Type::text;
            value.bytes = std::string(take(argument));
            break;
        case 4:
            value.type = CborValue::Type::array;
            if (argument > m_data.size())
                malformed();
            for (uint64_t i = 0; i < argument; ++i)
                value.items.push_back(read(depth + 1));
            break;
        case 5:
            value.type = CborValue::Type::map;
            if (argument > m_data.size())
                malformed();
            for (uint64_t i = 0; i < argument; ++i) {
                CborValue key = read(depth + 1);
                CborValue item = read(depth + 1);
                value.entries.emplace_back(std::move(key), std::move(item));
            }
            break;
        case 6: // a tag: its content stands for the value
            return read(depth + 1);
        default: // simple values
            if ((initial & 0x1f) == 20 || (initial & 0x1f) == 21) {
                value.type = CborValue::Type::boolean;
                value.flag = (initial & 0x1f) == 21;
            } else if ((initial & 0x1f) == 22 || (initial & 0x1f) == 23) {
                value.type = CborValue::Type::null;
            } else {
                malformed(); // floats and other simple values: never in WebAuthn structures
            }
        }
        return value;
    }

    std::size_t position() const { return m_position; }

private:
    uint8_t byte() {
        if (m_position >= m_data.size())
            malformed();
        return static_cast<uint8_t>(m_data[m_position++]);
    }

    uint64_t read_argument(uint8_t info) {
        if (info < 24)
            return info;
        int length = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
        if (length == 0)
            malformed(); // 28–30 reserved, 31 indefinite length
        uint64_t value = 0;
        for (int i = 0; i < length; ++i)
            value = (value << 8) | byte();
        return value;
    }

    std::string_view take(uint64_t length) {
        if (length > m_data.size() - m_position)
            malformed();
        const auto part = m_data.substr(m_position, static_cast<std::size_t>(length));
        m_position += static_cast<std::size_t>(length);
        return part;
    }

    std::string_view m_data;
    std::size_t m_position = 0;
};

void write_head(std::string& out, int major, uint64_t argument) {
    const auto type = static_cast<char>(major << 5);
    if (argument < 24) {
        out += static_cast<char>(type | static_cast<char>(argument));
        return;
    }
    int length = argument <= 0xff ? 1 : argument <= 0xffff ? 2 : argument <= 0xffffffffULL ? 4 : 8;
    out += static_cast<char>(type | static_cast<char>(length == 1 ? 24 : length == 2 ? 25 : length == 4 ? 26 : 27));
    for (int i = length - 1; i >= 0; --i)
        out += static_cast<char>((argument >> (8 * i)) & 0xff);
}

} // namespace

const CborValue* CborValue::find(int64_t key) const {
    for (const auto& [k, v] : entries)
        if (k.is_integer() && k.integer == key)
            return &v;
    return nullptr;
}

const CborValue* CborValue::find(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k.type == Type::text && k.bytes == key)
            return &v;
    return nullptr;
}

CborValue decode_cbor(std::string_view data, std::size_t* consumed) {
    Reader reader(data);
    CborValue value = reader.read(0);
    if (consumed)
        *consumed = reader.position();
    return value;
}

std::string encode_cbor(const CborValue& value) {
    std::string out;
    switch (value.type) {
    case CborValue::Type::unsigned_int: write_head(out, 0, static_cast<uint64_t>(value.integer)); break;
    case CborValue::Type::negative_int: write_head(out, 1, static_cast<uint64_t>(-1 - value.integer)); break;
    case CborValue::Type::bytes:
        write_head(out, 2, value.bytes.size());
        out += value.bytes;
        break;
    case CborValue::Type::text:
        write_head(out, 3, value.bytes.size());
        out += value.bytes;
        break;
    case CborValue::Type::array:
        write_head(out, 4, value.items.size());
        for (const auto& item : value.items)
            out += encode_cbor(item);
        break;
    case CborValue::Type::map:
        write_head(out, 5, value.entries.size());
        for (const auto& [key, item] : value.entries)
            out += encode_cbor(key) + encode_cbor(item);
        break;
    case CborValue::Type::boolean: out += static_cast<char>(value.flag ? 0xf5 : 0xf4); break;
    case CborValue::Type::null: out += static_cast<char>(0xf6); break;
    }
    return out;
}

} // namespace slate::engine::auth
