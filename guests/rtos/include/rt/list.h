/* SPDX-License-Identifier: MIT */
/*
 * Intrusive circular doubly linked list. Every kernel queue (ready lists, wait queues, the
 * timer list, the task list) is one of these, so insertion and removal never allocate and a
 * node knows whether it is queued (an unqueued node points at itself).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct rt_list {
    struct rt_list *next;
    struct rt_list *prev;
};

#define RT_LIST_INIT(name) { &(name), &(name) }

#define container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Make l an empty list (or an unqueued node). */
static inline void list_init(struct rt_list *l)
{
    l->next = l;
    l->prev = l;
}

/* True if the list is empty, or the node is not on any list. */
static inline bool list_empty(const struct rt_list *l)
{
    return l->next == l;
}

/* Insert node just before pos (at the tail when pos is the list head). */
static inline void list_insert_before(struct rt_list *pos, struct rt_list *node)
{
    node->next = pos;
    node->prev = pos->prev;
    pos->prev->next = node;
    pos->prev = node;
}

/* Insert node at the head of list l. */
static inline void list_push_front(struct rt_list *l, struct rt_list *node)
{
    list_insert_before(l->next, node);
}

/* Insert node at the tail of list l. */
static inline void list_push_back(struct rt_list *l, struct rt_list *node)
{
    list_insert_before(l, node);
}

/* Unlink node from whatever list holds it and leave it unqueued; harmless if unqueued. */
static inline void list_remove(struct rt_list *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
