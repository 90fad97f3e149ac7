#include "store/error.hpp"

namespace kharuul::store {
namespace {

class store_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "kharuul.store"; }

    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev)) {
        case errc::unknown_case: return "unknown case";
        case errc::case_closed: return "case is closed";
        case errc::unknown_message: return "unknown message";
        case errc::unknown_reporter: return "unknown reporter";
        case errc::reporter_exists: return "reporter already registered";
        case errc::unknown_site: return "unknown site";
        case errc::case_serials_exhausted: return "no case serials left";
        case errc::duplicate_provider_id: return "provider message id already stored";
        case errc::schema_too_new: return "store schema is newer than this build";
        case errc::schema_too_old: return "store schema needs migrations (open it read-write once)";
        case errc::backup_target_exists: return "backup target already exists";
        case errc::writer_stopped: return "store writer is stopped";
        case errc::unknown_alert: return "unknown alert";
        case errc::alert_already_acknowledged: return "alert already acknowledged";
        case errc::alert_closed: return "alert is closed";
        case errc::unknown_outbox: return "unknown outbox message";
        case errc::nothing_to_undo: return "the case has no change to undo";
        case errc::reader_busy: return "too many reads waiting for the store";
        case errc::reader_stopped: return "store reader is stopped";
        case errc::token_label_taken: return "a token with that label exists already";
        case errc::unknown_token: return "no such token (or revoked already)";
        case errc::site_exists: return "a site with that code exists";
        case errc::site_uncovered: return "an active site would be in an area no team covers";
        case errc::unknown_team: return "unknown team";
        case errc::team_exists: return "a team with that name exists";
        case errc::unknown_coordinator: return "unknown coordinator";
        case errc::coordinator_exists: return "coordinator already registered";
        }
        return "unknown store error";
    }
};

} // namespace

const std::error_category& store_category() noexcept
{
    static const store_category_impl instance;
    return instance;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), store_category()}; }

} // namespace kharuul::store
