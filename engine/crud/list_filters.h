#pragma once
// engine/crud/list_filters.h: a /data/<collection> list's query string (Zou's criterions and
// pagination arguments) and its narrowing to what the caller may see. add_query_filter is
// declared in crud_service.h, for the areas that filter their own lists the same way.

#include "engine/fwd.h"
#include "engine/crud/crud_service.h"

#include <cstdint>
#include <string>

namespace slate::engine::crud {

/// Whether the query parameter says "true" (any case); `fallback` when absent.
bool query_true(const QueryParams& query, const std::string& name, bool fallback);
/// The query parameter as an integer; `fallback` when absent; 400 when it is not one.
int64_t query_integer(const QueryParams& query, const std::string& name, int64_t fallback);
/// Narrows a list to the rows the caller may see: their productions' (open ones unless the
/// model says otherwise), a vendor's assigned work.
void add_scope(queries::Where& where, const ModelDescriptor& model, const services::Identity& caller);

} // namespace slate::engine::crud
