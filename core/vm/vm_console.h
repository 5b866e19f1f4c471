/* SPDX-License-Identifier: MIT */
/*
 * The console's hooks on the VM side (core/console.h): input queued for a VM reaches its
 * UART, a VM's state decides whether it takes input, and the console's commands (Ctrl-A s,
 * Ctrl-A q, the command mode's stats/events/start/stop/restart/poweroff) act on the VMs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <core/console.h>

/* vuart rx_pull hook (ctx: the struct vm): the VM's queued console input. */
size_t vm_console_rx_pull(void *ctx, uint8_t *buf, size_t max);

/* console input_ready hook: VM vm's UART pulls its new input, if the VM runs. */
void vm_console_input_ready(unsigned vm);

/* console vm_state hook: the VM's state name; it takes input only while running. */
const char *vm_console_state(unsigned vm, bool *takes_input);

/* console command hook. start/stop/restart/poweroff run on the calling pCPU (the console
 * interrupt's): stopping waits for the VM's vCPUs to leave, starting reloads its images from
 * the verified bundle. */
void vm_console_command(const struct console_cmd *cmd);
