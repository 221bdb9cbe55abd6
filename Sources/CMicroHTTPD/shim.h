#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

/*
 * Non-variadic wrappers over libmicrohttpd for Swift, which cannot call C variadic
 * functions (MHD_start_daemon, MHD_get_daemon_info, MHD_get_connection_info).
 * Every symbol defined here is prefixed cmhd_.
 */

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/* Settings for cmhd_start_daemon; zero means "libmicrohttpd's default" where allowed. */
struct cmhd_daemon_settings {
    unsigned int flags;
    const struct sockaddr *bind_address;
    unsigned int thread_pool_size;
    unsigned int connection_limit;
    unsigned int per_ip_connection_limit;
    unsigned int connection_timeout_seconds;
    size_t connection_memory_limit;
    /* Called with the request target exactly as received, before libmicrohttpd decodes it;
       what it returns becomes the request's con_cls. */
    void *(*uri_logger)(void *cls, const char *uri, struct MHD_Connection *connection);
    /* Told when a connection opens and closes (before its socket is closed). */
    MHD_NotifyConnectionCallback connection_notifier;
    /* 1: refuse what RFC 9112 forbids where libmicrohttpd can tell (no Host in HTTP/1.1,
       spaces in the target); 0: libmicrohttpd's default leniency. */
    int strict;
};

static inline struct MHD_Daemon *cmhd_start_daemon(
    const struct cmhd_daemon_settings *settings,
    MHD_AccessHandlerCallback handler, void *handler_cls,
    MHD_RequestCompletedCallback completed, void *completed_cls)
{
    return MHD_start_daemon(
        settings->flags, 0, NULL, NULL, handler, handler_cls,
        MHD_OPTION_SOCK_ADDR, settings->bind_address,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
        MHD_OPTION_THREAD_POOL_SIZE, settings->thread_pool_size,
        MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings->per_ip_connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, settings->connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, settings->connection_memory_limit,
        MHD_OPTION_URI_LOG_CALLBACK, settings->uri_logger, handler_cls,
        MHD_OPTION_NOTIFY_CONNECTION, settings->connection_notifier, handler_cls,
        MHD_OPTION_STRICT_FOR_CLIENT, settings->strict,
        MHD_OPTION_END);
}

/* The port the daemon is bound to; useful when it was started on port 0. */
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* The connection's socket, or -1; for writing an answer libmicrohttpd cannot queue in the
   middle of a request body, and for ending a connection that overran its deadline. */
static inline int cmhd_connection_fd(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

/* Writes the client's address as text into buffer; returns 0 on success. */
static inline int cmhd_client_address(struct MHD_Connection *connection, char *buffer, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || size == 0) return -1;
    const struct sockaddr *address = info->client_addr;
    const char *written = NULL;
    if (address->sa_family == AF_INET) {
        written = inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, buffer, (socklen_t)size);
    } else if (address->sa_family == AF_INET6) {
        written = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, buffer, (socklen_t)size);
    }
    return written == NULL ? -1 : 0;
}

#endif
