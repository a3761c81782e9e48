#include "api/areas/areas.h"
#include "api/server.h"

namespace slate::api {

RouteList all_routes() {
    RouteList routes;
    for (const RouteList& area :
         {index_routes(), auth_routes(), sso_routes(), desktop_login_routes(), crud_routes(), preview_routes(),
          file_path_routes(), file_record_routes(), comment_routes(), preview_action_routes(),
          preview_download_routes(), picture_routes(), playlist_routes(), playlist_sharing_routes(),
          playlist_build_routes(), annotated_frame_routes(), shared_routes(), shared_guest_routes(), project_routes(),
          user_routes(), event_log_routes(),
          entity_area_routes(),
          asset_routes(),
          breakdown_routes(),
          person_time_routes(),
          person_admin_routes(),
          chat_news_routes(),
          search_routes(),
          project_template_routes(),
          department_item_routes(),
          stats_quota_routes()})
        routes.insert(routes.end(), area.begin(), area.end());
    return routes;
}

} // namespace slate::api
