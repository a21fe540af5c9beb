#include "noc/noc_params.h"

#include <cmath>
#include <sstream>
#include <type_traits>
#include <variant>

namespace aimc::noc {

namespace {

// Checks every scalar against the range describe() gives it, so the two cannot disagree.
class RangeCheck : public ParamVisitor {
public:
    void enter_group(const std::string& name, const std::string&) override { prefix_.push_back(name); }
    void leave_group() override { prefix_.pop_back(); }
    void visit(const ParamInfo& info, ParamRef ref) override {
        std::string key;
        for (const auto& p : prefix_) key += p + ".";
        key += info.name;
        if (auto* s = std::get_if<std::string*>(&ref)) {
            if (info.choices.empty()) return;
            for (const auto& c : info.choices)
                if (c == **s) return;
            std::string known;
            for (const auto& c : info.choices) known += (known.empty() ? "" : ", ") + c;
            throw ConfigError("noc." + key + ": unknown value '" + **s + "' (known: " + known + ")");
        }
        double value = 0;
        std::visit(
            [&](auto* p) {
                using T = std::remove_pointer_t<decltype(p)>;
                if constexpr (!std::is_same_v<T, std::string>) value = static_cast<double>(*p);
            },
            ref);
        if (!(value >= info.min && value <= info.max)) {
            std::ostringstream msg;
            msg << "noc." << key << " = " << value << " is out of range [" << info.min << ", " << info.max << "]";
            if (!info.unit.empty()) msg << " " << info.unit;
            throw ConfigError(msg.str());
        }
    }

private:
    std::vector<std::string> prefix_;
};

}  // namespace

void NocParams::validate() const {
    RangeCheck check;
    const_cast<NocParams*>(this)->describe(check);  // describe() only reads through the visitor here
    for (const auto& [name, at] : {std::pair{"host", host}, std::pair{"memory", memory}}) {
        if (at.x >= width || at.y >= height)
            throw ConfigError("noc." + std::string(name) + ": port at " + to_string(Coord{at.x, at.y}) +
                              " is outside the " + std::to_string(width) + "x" + std::to_string(height) + " mesh");
    }
}

std::vector<Attachment> NocParams::attachments() const {
    return {{"host", {host.x, host.y}}, {"memory", {memory.x, memory.y}}};
}

}  // namespace aimc::noc
