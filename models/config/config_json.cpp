#include "config/config_json.h"

#include <set>
#include <vector>

#include <fmt/format.h>

#include "config/params.h"

namespace aimc {

nlohmann::json parse_config_json(const std::string& text, const std::string& origin) {
    using Event = nlohmann::json::parse_event_t;
    // One frame per open object or array: the keys seen, and where the next child sits.
    struct Frame {
        bool array;
        size_t index = 0;
        std::set<std::string> keys;
        std::string key;
    };
    std::vector<Frame> open;
    auto path_to = [&](const std::string& last) {
        std::string p;
        for (size_t i = 0; i + 1 < open.size(); ++i)
            p += open[i].array ? fmt::format("[{}]", open[i].index) : (p.empty() ? "" : ".") + open[i].key;
        return p + (p.empty() ? "" : ".") + last;
    };
    auto element_done = [&] {
        if (!open.empty() && open.back().array) ++open.back().index;
    };
    const nlohmann::json::parser_callback_t check = [&](int, Event event, nlohmann::json& parsed) {
        switch (event) {
        case Event::object_start: open.push_back(Frame{false}); break;
        case Event::array_start: open.push_back(Frame{true}); break;
        case Event::key: {
            const std::string key = parsed.get<std::string>();
            if (!open.back().keys.insert(key).second)
                throw ConfigError(fmt::format("{}: duplicate key {}: given twice in the same object", origin, path_to(key)));
            open.back().key = key;
            break;
        }
        case Event::object_end:
        case Event::array_end:
            open.pop_back();
            element_done();
            break;
        case Event::value: element_done(); break;
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text, check);
    } catch (const nlohmann::json::parse_error& e) {
        throw ConfigError(fmt::format("{}: invalid JSON: {}", origin, e.what()));
    }
}

}  // namespace aimc
