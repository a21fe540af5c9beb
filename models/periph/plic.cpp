#include "periph/plic.h"

#include "common/log.h"

namespace aimc::periph {

Plic::Plic(sc_core::sc_module_name name, const PlicParams& params)
    : RegisterTarget(name, "plic", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      sources("sources", params.num_sources),
      meip("meip"),
      pending_(params.num_sources, false),
      claimed_(params.num_sources, false) {
    auto& r = regs();
    const unsigned n_sources = params.num_sources;
    r.at(iface::plic::PRIORITY).on_write = [this, n_sources](unsigned n, uint32_t v) {
        // 3 priority bits; source 0 and sources this platform does not have read as 0.
        regs().at(iface::plic::PRIORITY).value[n] = (n == 0 || n >= n_sources) ? 0 : (v & 7);
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::plic::PENDING).on_read = [this](unsigned w) {
        uint32_t bits = 0;
        for (unsigned b = 0; b < 32 && 32 * w + b < pending_.size(); ++b) bits |= uint32_t{pending_[32 * w + b]} << b;
        return bits;
    };
    r.at(iface::plic::ENABLE).on_write = [this, n_sources](unsigned w, uint32_t v) {
        uint32_t mask = 0;
        for (unsigned b = 0; b < 32; ++b)
            if (32 * w + b >= 1 && 32 * w + b < n_sources) mask |= 1u << b;
        regs().at(iface::plic::ENABLE).value[w] = v & mask;
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::plic::THRESHOLD).on_write = [this](unsigned, uint32_t v) {
        regs().at(iface::plic::THRESHOLD).value[0] = v & 7;
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::plic::CLAIM_COMPLETE).on_read = [this](unsigned) { return debug_access() ? 0u : claim(); };
    r.at(iface::plic::CLAIM_COMPLETE).on_write = [this](unsigned, uint32_t v) {
        if (!debug_access()) complete(v);
    };

    SC_HAS_PROCESS(Plic);
    SC_METHOD(sample_sources);
    for (auto& s : sources) sensitive << s;
    SC_METHOD(update_output);
    sensitive << changed_;
}

bool Plic::enabled(unsigned n) const {
    return (const_cast<Plic*>(this)->regs().at(iface::plic::ENABLE).value[n / 32] >> (n % 32)) & 1u;
}

void Plic::sample_sources() {
    for (unsigned n = 1; n < num_sources(); ++n)
        if (sources[n].read() && !claimed_[n]) pending_[n] = true;
    changed_.notify(sc_core::SC_ZERO_TIME);
}

void Plic::update_output() {
    auto& r = regs();
    const uint32_t threshold = r.at(iface::plic::THRESHOLD).value[0];
    bool any = false;
    for (unsigned n = 1; n < num_sources() && !any; ++n)
        any = pending_[n] && enabled(n) && r.at(iface::plic::PRIORITY).value[n] > threshold;
    meip.write(any);
}

uint32_t Plic::claim() {
    auto& r = regs();
    uint32_t best = 0, best_priority = 0;
    for (unsigned n = 1; n < num_sources(); ++n) {
        const uint32_t p = r.at(iface::plic::PRIORITY).value[n];
        if (pending_[n] && enabled(n) && p > best_priority) {  // ties go to the lowest source number
            best = n;
            best_priority = p;
        }
    }
    if (best) {
        pending_[best] = false;
        claimed_[best] = true;
        changed_.notify(sc_core::SC_ZERO_TIME);
    }
    return best;
}

void Plic::complete(uint32_t source) {
    if (source == 0 || source >= num_sources() || !claimed_[source]) {
        log::warn(name(), "completion of source {} which was not claimed: ignored", source);
        return;
    }
    claimed_[source] = false;
    // A level source still high becomes pending again once its gateway reopens.
    if (sources[source].read()) pending_[source] = true;
    changed_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace aimc::periph
