# Mediation of guest calls into the secure world: the secure-services property
# (core/config/config_secsvc.c) and the policy decision (core/dev/secpolicy.c).
UNIT_TESTS += test_config_secsvc
test_config_secsvc_SRCS := tests/unit/test_config_secsvc.c $(CFG_SRCS)
test_config_secsvc_LDLIBS := -lfdt
test_config_secsvc_CFLAGS := -Wno-missing-field-initializers
UNIT_TESTS += test_secpolicy
test_secpolicy_SRCS := tests/unit/test_secpolicy.c core/dev/secpolicy.c
# The OP-TEE mediator's message translation (core/dev/teemed.c).
UNIT_TESTS += test_teemed
test_teemed_SRCS := tests/unit/test_teemed.c core/dev/teemed.c
