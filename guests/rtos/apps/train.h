/* SPDX-License-Identifier: MIT */
/*
 * The train-control applications (rt.app=sensors, control, trainclient): what they share
 * through the hypervisor and the RPC interface of `control` (for the future Linux `ui`).
 *
 * Channels (configs/train.dts, tests/scenarios/t-train.dts):
 *   samples       shmem, sensors rw, control ro: struct train_sample at offset 0
 *   samples_lock  mutex, sensors + control: guards the sample
 *   sample_ready  doorbell sensors -> control: a new sample was written
 *   commands      shmem, control rw, sensors ro (optional): struct train_cmd, one 64-bit word
 *                 (traction/brake that the sensors' train model integrates: closes the loop)
 *   cmd, reply    msgq pair: RPC requests to control / its responses (guests/lib/rpc)
 *
 * Units: speed mm/s in the sample, km/h x 10 over RPC and in the status lines; position mm.
 */
#pragma once

#include <stdint.h>

#define TRAIN_SAMPLES_SHM  "samples"
#define TRAIN_SAMPLES_LOCK "samples_lock"
#define TRAIN_SAMPLE_DB    "sample_ready"
#define TRAIN_COMMANDS_SHM "commands"
#define TRAIN_RPC_REQ      "cmd"
#define TRAIN_RPC_RESP     "reply"

#define TRAIN_SAMPLE_MAGIC 0x54524e31U /* "TRN1" */

enum train_track {
    TRACK_CLEAR = 0,   /* line speed */
    TRACK_CAUTION = 1, /* speed restriction: TRAIN_CAUTION_KMH10 */
    TRACK_STOP = 2,    /* red signal ahead: brake to a stop */
};

#define TRAIN_CAUTION_KMH10 400 /* 40.0 km/h */
#define TRAIN_MAX_KMH10     1600

struct train_sample {
    uint32_t magic;
    uint32_t seq;         /* 1, 2, ...; 0: nothing written yet */
    uint64_t time_us;     /* sensors' uptime */
    int64_t position_mm;
    int32_t speed_mmps;
    uint32_t track;       /* enum train_track */
    uint32_t cmd_seq;     /* the last command the model applied */
    uint32_t pad;
};

/* One 64-bit word, written and read with a single access (no lock needed). */
union train_cmd {
    uint64_t word;
    struct {
        uint32_t seq;
        int16_t traction_pm; /* 0..1000 per mille */
        int16_t brake_pm;    /* 0..1000 per mille */
    } f;
};

/* RPC methods of control (payloads little-endian, packed as these structs). */
#define TRAIN_RPC_SET_TARGET 0x100 /* req: int32 km/h x 10; resp: int32 previous target */
#define TRAIN_RPC_GET_STATUS 0x101 /* req: empty; resp: struct train_status */
#define TRAIN_E_RANGE        (-100) /* set_target out of 0..TRAIN_MAX_KMH10 */

struct train_status {
    uint64_t time_us;      /* control's uptime */
    uint64_t samples;      /* samples received */
    uint64_t misses;       /* deadline misses of the control loop */
    int64_t position_mm;
    int32_t speed_kmh10;
    int32_t target_kmh10;  /* set by set_target */
    int32_t limit_kmh10;   /* what the loop aims at now (track rules applied) */
    int32_t traction_pm;
    int32_t brake_pm;
    uint32_t track;
};

static inline int32_t train_mmps_to_kmh10(int64_t mmps)
{
    return (int32_t)(mmps * 36 / 1000);
}

static inline int64_t train_kmh10_to_mmps(int32_t kmh10)
{
    return (int64_t)kmh10 * 1000 / 36;
}
