#pragma once
// engine/uuid.h: uuid4 generation and validation of the ids clients send.

#include <string>
#include <string_view>

namespace slate::engine {

/// A random (version 4) uuid, lowercase with hyphens.
std::string new_uuid();

/// Whether `text` is a canonical uuid (8-4-4-4-12 hexadecimal digits, any case).
bool is_uuid(std::string_view text);

} // namespace slate::engine
