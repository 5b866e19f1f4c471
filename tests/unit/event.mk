UNIT_TESTS += test_event
test_event_SRCS := tests/unit/test_event.c core/event.c lib/fmt.c
