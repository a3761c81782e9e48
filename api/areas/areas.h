#pragma once
// api/areas/areas.h: each route area's table. all_routes() (api/routes.cpp) joins them.

#include "api/router.h"

namespace slate::api {

RouteList index_routes();
RouteList auth_routes();
RouteList sso_routes();
RouteList desktop_login_routes();
RouteList crud_routes();
RouteList preview_routes();
RouteList file_path_routes();
RouteList file_record_routes();
RouteList comment_routes();
RouteList preview_action_routes();
RouteList preview_download_routes();
RouteList picture_routes();
RouteList playlist_routes();
RouteList playlist_sharing_routes();
RouteList playlist_build_routes();
RouteList annotated_frame_routes();
RouteList shared_routes();
RouteList shared_guest_routes();
RouteList project_routes(); ///< api/areas/projects/routes.cpp
RouteList user_routes(); // api/areas/user/
RouteList event_log_routes(); ///< api/areas/event_log.cpp
RouteList entity_area_routes(); ///< api/areas/entities/: shots, sequences, episodes, scenes, edits, concepts, entities
RouteList asset_routes(); ///< api/areas/assets/routes.cpp
RouteList breakdown_routes(); ///< api/areas/assets/routes.cpp
RouteList person_time_routes();  // api/areas/people/person_time.cpp
RouteList person_admin_routes(); // api/areas/people/person_admin.cpp
RouteList chat_news_routes();    // api/areas/people/entity_chats.cpp
RouteList search_routes();       // api/areas/people/search.cpp
RouteList project_template_routes(); ///< api/areas/projects/templates.cpp
RouteList department_item_routes(); ///< api/areas/people/departments.cpp
RouteList stats_quota_routes(); ///< api/areas/projects/quotas.cpp

} // namespace slate::api
