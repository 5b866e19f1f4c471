# Split virtqueues (core/dev/virtq.c), hostile-guest cases (virtio v1.2 2.7).
UNIT_TESTS += test_virtq
test_virtq_SRCS := tests/unit/test_virtq.c core/dev/virtq.c
