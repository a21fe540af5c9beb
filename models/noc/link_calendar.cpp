#include "noc/link_calendar.h"

#include <algorithm>
#include <cstring>

namespace aimc::noc {

LinkCalendar& LinkCalendar::operator=(LinkCalendar&& other) noexcept {
    if (this == &other) return *this;
    heap_ = std::move(other.heap_);
    head_ = other.head_;
    end_ = other.end_;
    capacity_ = other.capacity_;
    floor_ = other.floor_;
    oldest_end_ = other.oldest_end_;
    std::copy(other.inline_, other.inline_ + kInline, inline_);
    other.head_ = other.end_ = 0;
    other.capacity_ = kInline;
    other.oldest_end_ = kNever;
    return *this;
}

uint32_t LinkCalendar::first_ending_after(Ps t) const {
    // Walk back from the newest booking: requests come nearly in time order, so this is short and stays
    // in the cache lines at the end of the array. Fall back to a binary search if it gets long.
    const Interval* d = data();
    uint32_t i = end_;
    for (int step = 0; step < 8; ++step) {
        if (i == head_ || d[i - 1].end <= t) return i;
        --i;
    }
    const Interval* it = std::partition_point(d + head_, d + i, [t](const Interval& iv) { return iv.end <= t; });
    return static_cast<uint32_t>(it - d);
}

uint32_t LinkCalendar::find_gap(Ps& s, Ps duration) const {
    const Interval* d = data();
    uint32_t i = first_ending_after(s);
    // d[i] is the first booking ending after s; skip bookings until [s, s + duration) fits before one.
    while (i < end_ && d[i].start < s + duration) {
        s = std::max(s, d[i].end);
        ++i;
    }
    return i;
}

uint32_t LinkCalendar::open_slot(uint32_t i) {
    if (end_ == capacity_) {
        const uint32_t live = end_ - head_;
        if (head_ * 2 >= capacity_) {
            // At least half the storage is forgotten: slide the live bookings down.
            Interval* d = data();
            std::memmove(d, d + head_, live * sizeof(Interval));
        } else {
            // Grow: amortised O(1) per booking together with the slide above.
            const uint32_t cap = capacity_ * 2;
            std::unique_ptr<Interval[]> bigger(new Interval[cap]);
            std::memcpy(bigger.get(), data() + head_, live * sizeof(Interval));
            heap_ = std::move(bigger);
            capacity_ = cap;
        }
        i -= head_;
        head_ = 0;
        end_ = live;
    }
    Interval* d = data();
    if (end_ - i <= 4) {
        for (uint32_t k = end_; k > i; --k) d[k] = d[k - 1];  // usually none or a few
    } else {
        std::memmove(d + i + 1, d + i, (end_ - i) * sizeof(Interval));
    }
    ++end_;
    return i;
}

Ps LinkCalendar::earliest(Ps ready, Ps duration) const {
    Ps s = std::max(ready, floor_);
    find_gap(s, duration);
    return s;
}

Ps LinkCalendar::reserve(Ps ready, Ps duration) {
    Ps s = std::max(ready, floor_);
    Interval* d = data();
    // Fast paths: nothing booked, or the request starts at or after the newest booking's end (requests
    // come nearly in time order).
    if (end_ == head_) {
        head_ = end_ = 0;
        d[0] = Interval{s, s + duration};
        end_ = 1;
        oldest_end_ = s + duration;
        return s;
    }
    if (d[end_ - 1].end == s) {
        d[end_ - 1].end = s + duration;
        if (end_ - 1 == head_) oldest_end_ = s + duration;
        return s;
    }
    uint32_t i;
    if (d[end_ - 1].end < s) {
        i = end_;
    } else {
        i = find_gap(s, duration);
    }
    const Ps e = s + duration;
    const bool join_prev = i > head_ && d[i - 1].end == s;
    const bool join_next = i < end_ && d[i].start == e;
    uint32_t changed = i;  // the index of the booking that now covers [s, e)
    if (join_prev && join_next) {
        d[i - 1].end = d[i].end;
        std::memmove(d + i, d + i + 1, (end_ - i - 1) * sizeof(Interval));
        --end_;
        changed = i - 1;
    } else if (join_prev) {
        d[i - 1].end = e;
        changed = i - 1;
    } else if (join_next) {
        d[i].start = s;
    } else {
        changed = i = open_slot(i);
        data()[i] = Interval{s, e};
    }
    if (changed == head_) oldest_end_ = data()[head_].end;
    return s;
}

void LinkCalendar::expire(Ps cut) {
    const Interval* d = data();
    while (head_ < end_ && d[head_].end <= cut) {
        floor_ = std::max(floor_, d[head_].end);
        ++head_;
    }
    if (head_ == end_) head_ = end_ = 0;
    oldest_end_ = head_ < end_ ? d[head_].end : kNever;
}

}  // namespace aimc::noc
