# The shared pCPU's vCPU scheduler (core/sched/sched.c).
UNIT_TESTS += test_sched
test_sched_SRCS := tests/unit/test_sched.c core/sched/sched.c
