// One link's reservation calendar: first fit, gaps for earlier requests, merging, forgetting the past.
#include <gtest/gtest.h>

#include <random>

#include "noc/link_calendar.h"

using namespace aimc::noc;

TEST(LinkCalendar, BooksBackToBackAndMergesTouchingBookings) {
    LinkCalendar c;
    EXPECT_EQ(c.reserve(0, 10), 0u);
    EXPECT_EQ(c.reserve(0, 10), 10u);   // waits for the first
    EXPECT_EQ(c.reserve(5, 10), 20u);
    EXPECT_EQ(c.size(), 1u);            // [0, 30) as one interval
    EXPECT_EQ(c.reserve(100, 10), 100u);
    EXPECT_EQ(c.size(), 2u);
}

TEST(LinkCalendar, AnEarlierRequestFitsIntoAGap) {
    LinkCalendar c;
    c.reserve(100, 10);                 // [100, 110)
    c.reserve(200, 10);                 // [200, 210)
    EXPECT_EQ(c.earliest(0, 50), 0u);
    EXPECT_EQ(c.reserve(0, 50), 0u);    // before both
    EXPECT_EQ(c.reserve(60, 50), 110u); // [60, 110) overlaps the first booking: after it, and fits before 200
    EXPECT_EQ(c.reserve(150, 50), 210u);// [150, 200) is taken by [110,160): next gap is after 210
    EXPECT_EQ(c.reserve(160, 40), 160u);// exactly fills [160, 200)
    const auto b = c.bookings();
    ASSERT_EQ(b.size(), 2u);            // [0,50) and [100,260)
    EXPECT_EQ(b[0].start, 0u);
    EXPECT_EQ(b[0].end, 50u);
    EXPECT_EQ(b[1].start, 100u);
    EXPECT_EQ(b[1].end, 260u);
}

TEST(LinkCalendar, ForgottenTimeCountsAsBusy) {
    LinkCalendar c;
    c.reserve(0, 10);
    c.reserve(50, 10);
    c.forget_before(100);
    EXPECT_TRUE(c.empty());
    EXPECT_EQ(c.floor(), 60u);
    EXPECT_EQ(c.reserve(20, 10), 60u);  // the gap [10,50) is no longer known: wait for the floor
    EXPECT_EQ(c.reserve(500, 10), 500u);
}

TEST(LinkCalendar, ManyBookingsStayCompact) {
    LinkCalendar c;
    for (Ps t = 0; t < 1000000; t += 20) {
        c.reserve(t, 10);
        c.forget_before(t > 1000 ? t - 1000 : 0);
    }
    EXPECT_LE(c.size(), 60u);
}

// Against a brute-force model (a busy flag per picosecond), with requests out of order, growth past the
// inline storage, merging and forgetting.
TEST(LinkCalendar, AgreesWithABruteForceModel) {
    std::mt19937_64 rng(3);
    for (int round = 0; round < 20; ++round) {
        LinkCalendar c;
        std::vector<bool> busy(20000, false);
        Ps cut = 0;
        for (int i = 0; i < 300; ++i) {
            const Ps base = static_cast<Ps>(i) * 40;
            const Ps ready = base + rng() % 600;   // out of order by up to 600
            const Ps duration = 1 + rng() % 30;
            Ps expect = std::max(ready, c.floor());
            for (;;) {
                bool free = true;
                for (Ps t = expect; t < expect + duration; ++t)
                    if (busy[t]) {
                        free = false;
                        expect = t + 1;
                        break;
                    }
                if (free) break;
            }
            ASSERT_EQ(c.earliest(ready, duration), expect) << "round " << round << " request " << i;
            ASSERT_EQ(c.reserve(ready, duration), expect);
            for (Ps t = expect; t < expect + duration; ++t) busy[t] = true;
            if (i % 50 == 49) {  // forget what no request can reach any more (all come after base)
                cut = base;
                c.forget_before(cut);
                for (Ps t = 0; t < c.floor(); ++t) busy[t] = true;  // the model: forgotten time is busy
            }
            // Bookings stay sorted, disjoint and non-touching.
            const auto b = c.bookings();
            for (size_t k = 0; k < b.size(); ++k) {
                ASSERT_LT(b[k].start, b[k].end);
                if (k > 0) {
                    ASSERT_LT(b[k - 1].end, b[k].start);
                }
            }
        }
    }
}
