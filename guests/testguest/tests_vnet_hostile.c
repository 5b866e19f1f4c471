// SPDX-License-Identifier: MIT
#include "tests.h"
#include "report.h"
void tests_vnet_hostile(void)
{
    tg_finish();
}
