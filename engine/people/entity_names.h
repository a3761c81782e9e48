#pragma once
// engine/people/entity_names.h: Zou's names_service.get_full_entity_name as SQL, for the
// listings that show it (notifications, chats): "Episode / Sequence / Shot", "Sequence / Shot",
// "Episode / Sequence", or "Asset type / Asset". The entity is aliased "e".

namespace slate::engine::user {

/// The joins the name needs: "et" (e's type), "par" (its parent), "gpar" (the parent's parent).
inline constexpr const char* entity_name_joins = " LEFT JOIN entity_type et ON et.id = e.entity_type_id"
                                                 " LEFT JOIN entity par ON par.id = e.parent_id"
                                                 " LEFT JOIN entity gpar ON gpar.id = par.parent_id";

/// The full name ("" without an entity).
inline constexpr const char* full_entity_name_sql = R"(CASE WHEN e.id IS NULL THEN ''
            WHEN et.name = 'Shot' AND gpar.id IS NOT NULL THEN gpar.name || ' / ' || par.name || ' / ' || e.name
            WHEN et.name = 'Shot' AND par.id IS NOT NULL THEN par.name || ' / ' || e.name
            WHEN et.name IN ('Shot', 'Episode') THEN e.name
            WHEN et.name = 'Sequence' AND par.id IS NOT NULL THEN par.name || ' / ' || e.name
            WHEN et.name = 'Sequence' THEN e.name
            ELSE et.name || ' / ' || e.name END)";

} // namespace slate::engine::user
