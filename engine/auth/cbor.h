#pragma once
// engine/auth/cbor.h: the part of CBOR (RFC 8949) WebAuthn needs: reading attestation objects
// and COSE keys. Definite lengths only (what authenticators send); indefinite lengths, floats
// and deep nesting are refused as malformed.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::engine::auth {

struct CborValue {
    enum class Type { unsigned_int, negative_int, bytes, text, array, map, boolean, null };
    Type type = Type::null;
    int64_t integer = 0;                                  ///< unsigned_int and negative_int (the value itself, e.g. -7)
    std::string bytes;                                    ///< bytes and text
    bool flag = false;                                    ///< boolean
    std::vector<CborValue> items;                         ///< array
    std::vector<std::pair<CborValue, CborValue>> entries; ///< map, in order

    bool is_integer() const { return type == Type::unsigned_int || type == Type::negative_int; }
    /// The map's value under an integer or a text key, or nullptr.
    const CborValue* find(int64_t key) const;
    const CborValue* find(std::string_view key) const;
};

/// Decodes one item at the start of `data`; `consumed` receives its length in bytes. Throws
/// slate::Error(bad_request) on malformed input.
CborValue decode_cbor(std::string_view data, std::size_t* consumed = nullptr);

/// Encodes a value (tests build authenticator answers with it).
std::string encode_cbor(const CborValue& value);

} // namespace slate::engine::auth
