// The reservation calendar of one directed link: the time intervals during which it carries flits.
//
// A transfer asks for the earliest start s >= ready such that [s, s + duration) is free, and books it.
// Requests may come slightly out of time order (with temporal decoupling an initiator runs up to one
// quantum ahead of the others), so the calendar keeps every booking that may still matter and an
// earlier request can take a gap between later bookings: first-fit, first-come-first-served in call
// order (a booking is never moved once made: its latency has already been returned).
//
// Bookings are kept sorted and disjoint in an array (the first two inside the object, more on the heap,
// so a lightly used link costs no memory access beyond its own state); bookings that touch are merged,
// so a saturated link holds one long interval rather than thousands. forget_before(cut) drops bookings that end at or
// before `cut` (the network passes the time before which no request can come any more); the time
// before the last forgotten booking then counts as busy, so a request older than the cut (which the
// caller promised not to make) waits for it rather than slipping into a gap that may not have existed.
//
// Cost per request: the bookings it has to look past, found by walking back from the newest (requests
// come nearly in time order), with a binary search if the walk gets long; plus the gaps it skips.
// forget_before() is O(1) when nothing expires (the oldest end is cached, so the front of the array
// stays out of the cache) and amortised O(1) per booking otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace aimc::noc {

// Simulated time in integer picoseconds (SystemC's default time resolution): exact, so bookings that
// touch merge and results are bit-for-bit reproducible.
using Ps = uint64_t;

class LinkCalendar {
public:
    struct Interval {
        Ps start;
        Ps end;  // exclusive
    };

    LinkCalendar() = default;
    LinkCalendar(LinkCalendar&& other) noexcept { *this = std::move(other); }
    LinkCalendar& operator=(LinkCalendar&& other) noexcept;
    LinkCalendar(const LinkCalendar&) = delete;
    LinkCalendar& operator=(const LinkCalendar&) = delete;

    // Books the earliest free [s, s + duration) with s >= ready and returns s. duration > 0.
    Ps reserve(Ps ready, Ps duration);
    // The start reserve() would return, without booking.
    Ps earliest(Ps ready, Ps duration) const;
    // Forgets bookings that end at or before `cut`; see the header comment.
    void forget_before(Ps cut) {
        if (cut >= oldest_end_) expire(cut);
    }

    // Starts loading the newest bookings when they live on the heap (a hint; changes nothing).
    void prefetch_newest() const {
#if defined(__GNUC__)
        if (heap_ && end_ > 0) __builtin_prefetch(heap_.get() + end_ - 1);
#endif
    }

    // Time before this is treated as busy (end of the last forgotten booking).
    Ps floor() const { return floor_; }
    std::size_t size() const { return end_ - head_; }
    bool empty() const { return end_ == head_; }
    // The live bookings, oldest first (for tests and debugging).
    std::vector<Interval> bookings() const { return {data() + head_, data() + end_}; }

private:
    static constexpr Ps kNever = std::numeric_limits<Ps>::max();
    static constexpr uint32_t kInline = 2;

    Interval* data() { return heap_ ? heap_.get() : inline_; }
    const Interval* data() const { return heap_ ? heap_.get() : inline_; }
    // First live index whose interval ends after t.
    uint32_t first_ending_after(Ps t) const;
    // Index before which [s, s + duration) fits, with s >= its initial value (s updated).
    uint32_t find_gap(Ps& s, Ps duration) const;
    // Opens a slot at index i (live indices may shift down); returns the slot's index.
    uint32_t open_slot(uint32_t i);
    void expire(Ps cut);

    std::unique_ptr<Interval[]> heap_;  // null while the bookings fit inline_
    uint32_t head_ = 0;                 // data()[head_, end_) are live: sorted, disjoint, non-touching
    uint32_t end_ = 0;
    uint32_t capacity_ = kInline;
    Ps floor_ = 0;
    Ps oldest_end_ = kNever;  // data()[head_].end, or kNever when empty
    Interval inline_[kInline];
};

}  // namespace aimc::noc
