/*
 * A stand-in for libusb-1.0 that presents exactly one USB device: the SWIM Studio virtual
 * probe served on a Unix stream socket (docs/spec/simulator.md section 7).
 *
 * Why it exists: third-party programmers (OpenOCD 0.12, stm8flash) only know how to reach a
 * probe through libusb. Put first on LD_LIBRARY_PATH under the soname libusb-1.0.so.0, this
 * library lets such a program drive the virtual probe unmodified, so an independent client
 * checks the simulator (and, through the simulator, the engine).
 *
 * Written from the public libusb-1.0 API as declared in <libusb.h> (libusb-1.0-0-dev) and
 * the socket protocol of docs/spec/simulator.md section 7; nothing is taken from libusb's own sources.
 *
 * Environment:
 *   SWIM_STUDIO_SIM_SOCKET        path of the virtual probe's socket (required; without it
 *                                 the bus is empty, as if no probe were plugged in)
 *   SWIM_STUDIO_STANDIN_TRACE=1   print every socket request and reply on stderr
 *   SWIM_STUDIO_STANDIN_MAX_WAIT_MS  upper bound on any wait for the server (default 20000),
 *                                 also applied to transfers the caller gave "no timeout"
 *
 * Model:
 * - libusb_init connects (once per process while any context lives) and reads the hello.
 *   The connection stays open until the last libusb_exit, like a plugged-in device that
 *   outlives one program's libusb session.
 * - Bulk transfers, synchronous or asynchronous, become one request/reply on the socket.
 *   Asynchronous transfers are queued at submit time and performed strictly in submission
 *   order from libusb_handle_events*, which is how OpenOCD 0.12 sends a command block and
 *   its data phase (stlink_usb.c jtag_libusb_bulk_transfer_n: submit both, then wait).
 * - Control transfers are answered locally (descriptors only): the socket protocol has no
 *   control operation, and OpenOCD uses them only to read string descriptors.
 * - If the server stops answering within the bound, the stream can no longer be trusted to
 *   be in step, so the connection is dropped and the device behaves as unplugged.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libusb.h>

#define STANDIN_EXPORT __attribute__((visibility("default")))

/* ---------------------------------------------------------------------------------------
 * Opaque libusb types: libusb.h only declares them, each implementation defines them.
 * ------------------------------------------------------------------------------------- */
struct libusb_context {
	int unused;
};

struct libusb_device {
	int refcount;
};

struct libusb_device_handle {
	struct libusb_device *dev;
	int claimed_mask; /* bit n set when interface n is claimed */
	int configuration;
};

/* ---------------------------------------------------------------------------------------
 * Process-wide state: one socket, one device.
 * ------------------------------------------------------------------------------------- */
struct probe_hello {
	uint16_t vid;
	uint16_t pid;
	char serial[256];
	char product[256];
};

static struct libusb_context default_context;
static int context_refcount;
static int sock_fd = -1;
static int have_device;
static struct probe_hello hello;
static struct libusb_device the_device;
static int trace_enabled = -1;

static int trace_on(void)
{
	if (trace_enabled < 0) {
		const char *t = getenv("SWIM_STUDIO_STANDIN_TRACE");
		trace_enabled = (t && *t && strcmp(t, "0") != 0) ? 1 : 0;
	}
	return trace_enabled;
}

/* One line on stderr, after the stand-in's tag. */
static void vreport(const char *fmt, va_list ap)
{
	fputs("[libusb-standin] ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void trace(const char *fmt, ...)
{
	if (!trace_on())
		return;
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* Always printed: a connection problem is the first thing a confused user needs to see. */
static void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

static unsigned int max_wait_ms(void)
{
	const char *s = getenv("SWIM_STUDIO_STANDIN_MAX_WAIT_MS");
	if (s && *s) {
		long v = strtol(s, NULL, 10);
		if (v > 0)
			return (unsigned int)v;
	}
	return 20000;
}

/* A transfer's own timeout, bounded so that nothing waits forever (0 means "no timeout" in libusb). */
static unsigned int effective_timeout(unsigned int requested)
{
	unsigned int cap = max_wait_ms();
	if (requested == 0 || requested > cap)
		return cap;
	return requested;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop_connection(const char *why)
{
	if (sock_fd >= 0) {
		trace("dropping connection: %s", why);
		close(sock_fd);
	}
	sock_fd = -1;
}

/* Read exactly len bytes before the deadline. 0 on success, a libusb error otherwise. */
static int read_exact(void *buf, size_t len, long long deadline)
{
	uint8_t *p = buf;
	while (len > 0) {
		if (sock_fd < 0)
			return LIBUSB_ERROR_NO_DEVICE;
		long long left = deadline - now_ms();
		if (left <= 0)
			return LIBUSB_ERROR_TIMEOUT;
		struct pollfd pfd = { .fd = sock_fd, .events = POLLIN };
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return LIBUSB_ERROR_IO;
		}
		if (pr == 0)
			return LIBUSB_ERROR_TIMEOUT;
		ssize_t n = recv(sock_fd, p, len, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return LIBUSB_ERROR_NO_DEVICE;
		}
		if (n == 0)
			return LIBUSB_ERROR_NO_DEVICE; /* server closed: the probe is gone */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len > 0) {
		if (sock_fd < 0)
			return LIBUSB_ERROR_NO_DEVICE;
		ssize_t n = send(sock_fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return LIBUSB_ERROR_NO_DEVICE;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Read a length-prefixed ASCII string of the hello into out (NUL-terminated). */
static int read_hello_string(char *out, long long deadline)
{
	uint8_t n;
	int r = read_exact(&n, 1, deadline);
	if (r)
		return r;
	r = read_exact(out, n, deadline);
	if (r)
		return r;
	out[n] = '\0';
	return 0;
}

/* Connect to the server and read its hello (docs/spec/simulator.md section 7). */
static void connect_to_probe(void)
{
	const char *path = getenv("SWIM_STUDIO_SIM_SOCKET");
	have_device = 0;
	if (!path || !*path) {
		warn("SWIM_STUDIO_SIM_SOCKET is not set: no virtual probe on the bus");
		return;
	}
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		warn("socket path too long: %s", path);
		return;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		warn("socket(): %s", strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		warn("cannot connect to %s: %s", path, strerror(errno));
		close(fd);
		return;
	}
	sock_fd = fd;
	long long deadline = now_ms() + (long long)effective_timeout(5000);
	uint8_t head[5];
	int r = read_exact(head, sizeof(head), deadline);
	if (!r && head[0] != 1) {
		warn("unknown hello version %u from %s", head[0], path);
		r = LIBUSB_ERROR_NOT_SUPPORTED;
	}
	if (!r) {
		hello.vid = get_u16(head + 1);
		hello.pid = get_u16(head + 3);
		r = read_hello_string(hello.serial, deadline);
	}
	if (!r)
		r = read_hello_string(hello.product, deadline);
	if (r) {
		warn("no valid hello from %s (%s)", path, libusb_error_name(r));
		drop_connection("bad hello");
		return;
	}
	have_device = 1;
	trace("connected to %s: %04x:%04x serial '%s' product '%s'", path, hello.vid, hello.pid,
	      hello.serial, hello.product);
}

/* ---------------------------------------------------------------------------------------
 * What the device looks like: endpoints per PID (docs/spec/stlink-swim.md section 1.1).
 * ------------------------------------------------------------------------------------- */
static int is_v2(uint16_t pid) { return pid == 0x3748 || pid == 0x3744; }
static int is_high_speed(uint16_t pid)
{
	/* STLINK-V3 family is a high-speed device (docs/spec/stlink-swim.md 1.2). */
	return pid == 0x374d || pid == 0x374e || pid == 0x374f || pid == 0x3753 || pid == 0x3754 ||
	       pid == 0x3755 || pid == 0x3757;
}
static uint8_t out_endpoint(void) { return is_v2(hello.pid) ? 0x02 : 0x01; }
static uint8_t trace_endpoint(void) { return is_v2(hello.pid) ? 0x83 : 0x82; }
static uint16_t max_packet(void) { return is_high_speed(hello.pid) ? 512 : 64; }

static void fill_device_descriptor(struct libusb_device_descriptor *d)
{
	memset(d, 0, sizeof(*d));
	d->bLength = LIBUSB_DT_DEVICE_SIZE;
	d->bDescriptorType = LIBUSB_DT_DEVICE;
	d->bcdUSB = is_high_speed(hello.pid) ? 0x0210 : 0x0200;
	d->bDeviceClass = 0;
	d->bMaxPacketSize0 = 64;
	d->idVendor = hello.vid;
	d->idProduct = hello.pid;
	d->bcdDevice = 0x0100;
	d->iManufacturer = 1;
	d->iProduct = 2;
	d->iSerialNumber = 3;
	d->bNumConfigurations = 1;
}

/* Raw device descriptor bytes, for a GET_DESCRIPTOR control request. */
static int device_descriptor_bytes(uint8_t *out, int len)
{
	struct libusb_device_descriptor d;
	fill_device_descriptor(&d);
	uint8_t b[LIBUSB_DT_DEVICE_SIZE] = {
		d.bLength, d.bDescriptorType, (uint8_t)d.bcdUSB, (uint8_t)(d.bcdUSB >> 8),
		d.bDeviceClass, d.bDeviceSubClass, d.bDeviceProtocol, d.bMaxPacketSize0,
		(uint8_t)d.idVendor, (uint8_t)(d.idVendor >> 8), (uint8_t)d.idProduct,
		(uint8_t)(d.idProduct >> 8), (uint8_t)d.bcdDevice, (uint8_t)(d.bcdDevice >> 8),
		d.iManufacturer, d.iProduct, d.iSerialNumber, d.bNumConfigurations,
	};
	int n = len < (int)sizeof(b) ? len : (int)sizeof(b);
	memcpy(out, b, (size_t)n);
	return n;
}

static const char *string_for_index(uint8_t index)
{
	switch (index) {
	case 1:
		return "STMicroelectronics";
	case 2:
		return hello.product;
	case 3:
		return hello.serial;
	default:
		return NULL;
	}
}

/* A USB string descriptor (UTF-16LE) for index, or the language table for index 0. */
static int string_descriptor_bytes(uint8_t index, uint8_t *out, int len)
{
	uint8_t b[2 + 2 * 255];
	int n;
	if (index == 0) {
		b[0] = 4;
		b[1] = LIBUSB_DT_STRING;
		b[2] = 0x09; /* 0x0409: English (United States) */
		b[3] = 0x04;
		n = 4;
	} else {
		const char *s = string_for_index(index);
		if (!s)
			return LIBUSB_ERROR_PIPE; /* a real device stalls on an unknown string */
		size_t sl = strlen(s);
		if (sl > 126)
			sl = 126;
		b[0] = (uint8_t)(2 + 2 * sl);
		b[1] = LIBUSB_DT_STRING;
		for (size_t i = 0; i < sl; i++) {
			b[2 + 2 * i] = (uint8_t)s[i];
			b[3 + 2 * i] = 0;
		}
		n = b[0];
	}
	if (n > len)
		n = len;
	memcpy(out, b, (size_t)n);
	return n;
}

/* ---------------------------------------------------------------------------------------
 * One bulk transfer on the socket: request "u8 op, u8 ep, u32 len, [data]",
 * reply "i32 status, u32 actual, [data]" (docs/spec/simulator.md section 7).
 * Returns a libusb error code (0 on success) and the bytes moved in *actual.
 * ------------------------------------------------------------------------------------- */
static int socket_exchange(uint8_t op, uint8_t ep, uint8_t *data, int length, int *actual,
                           unsigned int timeout)
{
	*actual = 0;
	if (sock_fd < 0)
		return LIBUSB_ERROR_NO_DEVICE;
	if (length < 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	long long deadline = now_ms() + (long long)effective_timeout(timeout);
	uint8_t req[6];
	req[0] = op;
	req[1] = ep;
	put_u32(req + 2, (uint32_t)length);
	int r = write_all(req, sizeof(req));
	if (!r && op == 'O' && length > 0)
		r = write_all(data, (size_t)length);
	if (r) {
		drop_connection("send failed");
		return r;
	}
	uint8_t rep[8];
	r = read_exact(rep, sizeof(rep), deadline);
	if (r) {
		/* A reply that did not come in time would arrive later and be taken for the
		 * answer to the next request: from here on the stream is out of step. */
		drop_connection(r == LIBUSB_ERROR_TIMEOUT ? "no reply in time" : "connection lost");
		return r;
	}
	int32_t status = (int32_t)get_u32(rep);
	uint32_t got = get_u32(rep + 4);
	if (op == 'I' && got > 0) {
		uint32_t keep = got > (uint32_t)length ? (uint32_t)length : got;
		r = read_exact(data, keep, deadline);
		/* Bytes beyond the buffer are read and thrown away to stay in step. */
		for (uint32_t left = got - keep; !r && left > 0;) {
			uint8_t sink[256];
			uint32_t chunk = left > sizeof(sink) ? (uint32_t)sizeof(sink) : left;
			r = read_exact(sink, chunk, deadline);
			left -= chunk;
		}
		if (r) {
			drop_connection("short reply data");
			return r;
		}
		if (got > (uint32_t)length) {
			*actual = length;
			return LIBUSB_ERROR_OVERFLOW;
		}
	}
	*actual = (int)(got > (uint32_t)length && op == 'O' ? (uint32_t)length : got);
	if (trace_on()) {
		char hex[3 * 16 + 1] = "";
		int show = (op == 'R') ? 0 : (*actual < 16 ? *actual : 16);
		for (int i = 0; i < show; i++)
			sprintf(hex + 3 * i, " %02x", data[i]);
		trace("%c ep=%02x len=%d -> status=%d actual=%d%s%s", op, ep, length, status, *actual,
		      show ? " :" : "", hex);
	}
	if (status > 0)
		return LIBUSB_ERROR_OTHER;
	return status;
}

/* Bulk transfers to an endpoint this device does not have stall, as on real USB. */
static int endpoint_known(uint8_t ep)
{
	return ep == 0x81 || ep == out_endpoint() || ep == trace_endpoint();
}

static int bulk(libusb_device_handle *h, uint8_t ep, uint8_t *data, int length, int *actual,
                unsigned int timeout)
{
	*actual = 0;
	if (!h || !have_device)
		return LIBUSB_ERROR_NO_DEVICE;
	/* Linux usbfs claims an interface implicitly on I/O, so an unclaimed one is not an error. */
	if (!(h->claimed_mask & 1))
		trace("bulk transfer on ep %02x without claiming interface 0", ep);
	if (!endpoint_known(ep))
		return LIBUSB_ERROR_PIPE;
	return socket_exchange((ep & LIBUSB_ENDPOINT_IN) ? 'I' : 'O', ep, data, length, actual,
	                       timeout);
}

/* ---------------------------------------------------------------------------------------
 * Library, context and device list
 * ------------------------------------------------------------------------------------- */
STANDIN_EXPORT int libusb_init(libusb_context **ctx)
{
	if (context_refcount++ == 0 || sock_fd < 0)
		connect_to_probe();
	if (ctx)
		*ctx = &default_context;
	return LIBUSB_SUCCESS;
}

/* Newer libusb entry point (1.0.27, API 0x0100010A); harmless to offer for clients built
 * against it. Declared with the header's own parameter type where the header has it. */
#if defined(LIBUSB_API_VERSION) && LIBUSB_API_VERSION >= 0x0100010A
STANDIN_EXPORT int libusb_init_context(libusb_context **ctx, const struct libusb_init_option options[],
                                       int num_options)
#else
STANDIN_EXPORT int libusb_init_context(libusb_context **ctx, const void *options, int num_options)
#endif
{
	(void)options;
	(void)num_options;
	return libusb_init(ctx);
}

STANDIN_EXPORT void libusb_exit(libusb_context *ctx)
{
	(void)ctx;
	if (context_refcount > 0 && --context_refcount == 0) {
		drop_connection("libusb_exit");
		have_device = 0;
	}
}

STANDIN_EXPORT ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	(void)ctx;
	int n = have_device ? 1 : 0;
	libusb_device **l = calloc((size_t)n + 1, sizeof(*l));
	if (!l)
		return LIBUSB_ERROR_NO_MEM;
	if (n) {
		the_device.refcount++;
		l[0] = &the_device;
	}
	*list = l;
	return n;
}

STANDIN_EXPORT void libusb_free_device_list(libusb_device **list, int unref_devices)
{
	if (!list)
		return;
	if (unref_devices)
		for (libusb_device **p = list; *p; p++)
			(*p)->refcount--;
	free(list);
}

STANDIN_EXPORT libusb_device *libusb_ref_device(libusb_device *dev)
{
	if (dev)
		dev->refcount++;
	return dev;
}

STANDIN_EXPORT void libusb_unref_device(libusb_device *dev)
{
	if (dev)
		dev->refcount--;
}

STANDIN_EXPORT int libusb_get_device_descriptor(libusb_device *dev,
                                                struct libusb_device_descriptor *desc)
{
	if (!dev || !desc)
		return LIBUSB_ERROR_INVALID_PARAM;
	fill_device_descriptor(desc);
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT uint8_t libusb_get_bus_number(libusb_device *dev)
{
	(void)dev;
	return 1;
}

STANDIN_EXPORT uint8_t libusb_get_device_address(libusb_device *dev)
{
	(void)dev;
	return 2;
}

STANDIN_EXPORT uint8_t libusb_get_port_number(libusb_device *dev)
{
	(void)dev;
	return 1;
}

/* The virtual probe sits on port 1 of bus 1: path "1-1". */
STANDIN_EXPORT int libusb_get_port_numbers(libusb_device *dev, uint8_t *port_numbers,
                                           int port_numbers_len)
{
	(void)dev;
	if (port_numbers_len < 1)
		return LIBUSB_ERROR_OVERFLOW;
	port_numbers[0] = 1;
	return 1;
}

STANDIN_EXPORT int libusb_get_device_speed(libusb_device *dev)
{
	(void)dev;
	return is_high_speed(hello.pid) ? LIBUSB_SPEED_HIGH : LIBUSB_SPEED_FULL;
}

STANDIN_EXPORT int libusb_get_max_packet_size(libusb_device *dev, unsigned char endpoint)
{
	(void)dev;
	return endpoint_known(endpoint) ? max_packet() : LIBUSB_ERROR_NOT_FOUND;
}

/* One configuration, one interface (0, vendor class 0xFF), bulk endpoints per PID. */
STANDIN_EXPORT int libusb_get_config_descriptor(libusb_device *dev, uint8_t config_index,
                                                struct libusb_config_descriptor **config)
{
	if (!dev || !config)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (config_index != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	struct layout {
		struct libusb_config_descriptor config;
		struct libusb_interface iface;
		struct libusb_interface_descriptor alt;
		struct libusb_endpoint_descriptor eps[3];
	};
	struct layout *l = calloc(1, sizeof(*l));
	if (!l)
		return LIBUSB_ERROR_NO_MEM;
	uint8_t addrs[3] = { 0x81, out_endpoint(), trace_endpoint() };
	for (int i = 0; i < 3; i++) {
		l->eps[i].bLength = LIBUSB_DT_ENDPOINT_SIZE;
		l->eps[i].bDescriptorType = LIBUSB_DT_ENDPOINT;
		l->eps[i].bEndpointAddress = addrs[i];
		l->eps[i].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
		l->eps[i].wMaxPacketSize = max_packet();
	}
	l->alt.bLength = LIBUSB_DT_INTERFACE_SIZE;
	l->alt.bDescriptorType = LIBUSB_DT_INTERFACE;
	l->alt.bInterfaceNumber = 0;
	l->alt.bNumEndpoints = 3;
	l->alt.bInterfaceClass = LIBUSB_CLASS_VENDOR_SPEC;
	l->alt.bInterfaceSubClass = LIBUSB_CLASS_VENDOR_SPEC;
	l->alt.bInterfaceProtocol = LIBUSB_CLASS_VENDOR_SPEC;
	l->alt.endpoint = l->eps;
	l->iface.altsetting = &l->alt;
	l->iface.num_altsetting = 1;
	l->config.bLength = LIBUSB_DT_CONFIG_SIZE;
	l->config.bDescriptorType = LIBUSB_DT_CONFIG;
	l->config.wTotalLength =
		LIBUSB_DT_CONFIG_SIZE + LIBUSB_DT_INTERFACE_SIZE + 3 * LIBUSB_DT_ENDPOINT_SIZE;
	l->config.bNumInterfaces = 1;
	l->config.bConfigurationValue = 1;
	l->config.bmAttributes = 0x80;
	l->config.MaxPower = 50; /* 100 mA, in 2 mA units */
	l->config.interface = &l->iface;
	*config = &l->config; /* first member: freeing it frees the whole layout */
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_get_active_config_descriptor(libusb_device *dev,
                                                       struct libusb_config_descriptor **config)
{
	return libusb_get_config_descriptor(dev, 0, config);
}

STANDIN_EXPORT int libusb_get_config_descriptor_by_value(libusb_device *dev, uint8_t value,
                                                         struct libusb_config_descriptor **config)
{
	if (value != 1)
		return LIBUSB_ERROR_NOT_FOUND;
	return libusb_get_config_descriptor(dev, 0, config);
}

STANDIN_EXPORT void libusb_free_config_descriptor(struct libusb_config_descriptor *config)
{
	free(config);
}

/* ---------------------------------------------------------------------------------------
 * Handles
 * ------------------------------------------------------------------------------------- */
STANDIN_EXPORT int libusb_open(libusb_device *dev, libusb_device_handle **dev_handle)
{
	if (!dev || !dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!have_device || sock_fd < 0)
		return LIBUSB_ERROR_NO_DEVICE;
	libusb_device_handle *h = calloc(1, sizeof(*h));
	if (!h)
		return LIBUSB_ERROR_NO_MEM;
	h->dev = libusb_ref_device(dev);
	h->configuration = 1;
	*dev_handle = h;
	trace("open");
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT libusb_device_handle *libusb_open_device_with_vid_pid(libusb_context *ctx,
                                                                      uint16_t vendor_id,
                                                                      uint16_t product_id)
{
	(void)ctx;
	libusb_device_handle *h = NULL;
	if (have_device && hello.vid == vendor_id && hello.pid == product_id &&
	    libusb_open(&the_device, &h) == LIBUSB_SUCCESS)
		return h;
	return NULL;
}

STANDIN_EXPORT void libusb_close(libusb_device_handle *dev_handle)
{
	if (!dev_handle)
		return;
	trace("close");
	libusb_unref_device(dev_handle->dev);
	free(dev_handle);
}

STANDIN_EXPORT libusb_device *libusb_get_device(libusb_device_handle *dev_handle)
{
	return dev_handle ? dev_handle->dev : NULL;
}

STANDIN_EXPORT int libusb_get_configuration(libusb_device_handle *dev, int *config)
{
	if (!dev || !config)
		return LIBUSB_ERROR_INVALID_PARAM;
	*config = dev->configuration;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_set_configuration(libusb_device_handle *dev_handle, int configuration)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (configuration != 1 && configuration != -1 && configuration != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	dev_handle->configuration = configuration < 0 ? 0 : configuration;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_claim_interface(libusb_device_handle *dev_handle, int interface_number)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (interface_number != 0)
		return LIBUSB_ERROR_NOT_FOUND; /* the probe only has interface 0 */
	if (!have_device || sock_fd < 0)
		return LIBUSB_ERROR_NO_DEVICE;
	dev_handle->claimed_mask |= 1;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_release_interface(libusb_device_handle *dev_handle, int interface_number)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (interface_number != 0 || !(dev_handle->claimed_mask & 1))
		return LIBUSB_ERROR_NOT_FOUND;
	dev_handle->claimed_mask &= ~1;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_set_interface_alt_setting(libusb_device_handle *dev_handle,
                                                    int interface_number, int alternate_setting)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (interface_number != 0 || alternate_setting != 0)
		return LIBUSB_ERROR_NOT_FOUND;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_clear_halt(libusb_device_handle *dev_handle, unsigned char endpoint)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!endpoint_known(endpoint))
		return LIBUSB_ERROR_NOT_FOUND;
	return have_device && sock_fd >= 0 ? LIBUSB_SUCCESS : LIBUSB_ERROR_NO_DEVICE;
}

/* USB port reset: op 'R' on the socket. */
STANDIN_EXPORT int libusb_reset_device(libusb_device_handle *dev_handle)
{
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	int actual;
	int r = socket_exchange('R', 0, NULL, 0, &actual, 5000);
	trace("reset -> %d", r);
	return r == LIBUSB_ERROR_NO_DEVICE ? LIBUSB_ERROR_NOT_FOUND : r;
}

/* No kernel driver is ever bound to a virtual device. */
STANDIN_EXPORT int libusb_kernel_driver_active(libusb_device_handle *dev_handle, int interface_number)
{
	(void)dev_handle;
	(void)interface_number;
	return 0;
}

STANDIN_EXPORT int libusb_detach_kernel_driver(libusb_device_handle *dev_handle, int interface_number)
{
	(void)dev_handle;
	(void)interface_number;
	return LIBUSB_ERROR_NOT_FOUND;
}

STANDIN_EXPORT int libusb_attach_kernel_driver(libusb_device_handle *dev_handle, int interface_number)
{
	(void)dev_handle;
	(void)interface_number;
	return LIBUSB_ERROR_NOT_FOUND;
}

STANDIN_EXPORT int libusb_set_auto_detach_kernel_driver(libusb_device_handle *dev_handle, int enable)
{
	(void)dev_handle;
	(void)enable;
	return LIBUSB_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Synchronous I/O
 * ------------------------------------------------------------------------------------- */
STANDIN_EXPORT int libusb_bulk_transfer(libusb_device_handle *dev_handle, unsigned char endpoint,
                                        unsigned char *data, int length, int *actual_length,
                                        unsigned int timeout)
{
	int actual = 0;
	int r = bulk(dev_handle, endpoint, data, length, &actual, timeout);
	if (actual_length)
		*actual_length = actual;
	return r;
}

/* The probe's command endpoints are bulk; an interrupt transfer is carried the same way. */
STANDIN_EXPORT int libusb_interrupt_transfer(libusb_device_handle *dev_handle,
                                             unsigned char endpoint, unsigned char *data,
                                             int length, int *actual_length,
                                             unsigned int timeout)
{
	return libusb_bulk_transfer(dev_handle, endpoint, data, length, actual_length, timeout);
}

/* Answered locally: standard GET_DESCRIPTOR / GET_STATUS / GET_CONFIGURATION only. */
STANDIN_EXPORT int libusb_control_transfer(libusb_device_handle *dev_handle, uint8_t request_type,
                                           uint8_t bRequest, uint16_t wValue, uint16_t wIndex,
                                           unsigned char *data, uint16_t wLength,
                                           unsigned int timeout)
{
	(void)wIndex;
	(void)timeout;
	if (!dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!have_device || sock_fd < 0)
		return LIBUSB_ERROR_NO_DEVICE;
	int standard_in = (request_type & 0xE0) == (LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_STANDARD);
	if (standard_in && bRequest == LIBUSB_REQUEST_GET_DESCRIPTOR) {
		uint8_t type = (uint8_t)(wValue >> 8), index = (uint8_t)wValue;
		if (type == LIBUSB_DT_DEVICE)
			return device_descriptor_bytes(data, wLength);
		if (type == LIBUSB_DT_STRING)
			return string_descriptor_bytes(index, data, wLength);
		if (type == LIBUSB_DT_CONFIG) {
			/* Only the 9-byte header is offered; enough for length probes. */
			uint8_t b[LIBUSB_DT_CONFIG_SIZE] = { LIBUSB_DT_CONFIG_SIZE, LIBUSB_DT_CONFIG,
				LIBUSB_DT_CONFIG_SIZE + LIBUSB_DT_INTERFACE_SIZE + 3 * LIBUSB_DT_ENDPOINT_SIZE,
				0, 1, 1, 0, 0x80, 50 };
			int n = wLength < sizeof(b) ? wLength : (int)sizeof(b);
			memcpy(data, b, (size_t)n);
			return n;
		}
		return LIBUSB_ERROR_PIPE;
	}
	if (standard_in && bRequest == LIBUSB_REQUEST_GET_STATUS && wLength >= 2) {
		data[0] = 0;
		data[1] = 0;
		return 2;
	}
	if (standard_in && bRequest == LIBUSB_REQUEST_GET_CONFIGURATION && wLength >= 1) {
		data[0] = (uint8_t)dev_handle->configuration;
		return 1;
	}
	return LIBUSB_ERROR_PIPE; /* vendor requests: the ST-LINK has none on interface 0 */
}

STANDIN_EXPORT int libusb_get_string_descriptor_ascii(libusb_device_handle *dev_handle,
                                                      uint8_t desc_index, unsigned char *data,
                                                      int length)
{
	if (!dev_handle || !data || length <= 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (desc_index == 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!have_device)
		return LIBUSB_ERROR_NO_DEVICE;
	const char *s = string_for_index(desc_index);
	if (!s)
		return LIBUSB_ERROR_PIPE;
	int n = (int)strlen(s);
	if (n > length - 1)
		n = length - 1;
	memcpy(data, s, (size_t)n);
	data[n] = 0;
	return n;
}

/* ---------------------------------------------------------------------------------------
 * Asynchronous I/O: a FIFO of submitted transfers, performed in order by handle_events.
 * ------------------------------------------------------------------------------------- */
struct transfer_slot {
	struct transfer_slot *next;
	int submitted;
	int cancelled;
	/* Must stay last: libusb_transfer ends in a flexible array of iso packet descriptors. */
	struct libusb_transfer transfer;
};

static struct transfer_slot *queue_head, *queue_tail;

static struct transfer_slot *slot_of(struct libusb_transfer *t)
{
	return (struct transfer_slot *)((char *)t - offsetof(struct transfer_slot, transfer));
}

STANDIN_EXPORT struct libusb_transfer *libusb_alloc_transfer(int iso_packets)
{
	if (iso_packets < 0)
		return NULL;
	size_t size = sizeof(struct transfer_slot) +
	              (size_t)iso_packets * sizeof(struct libusb_iso_packet_descriptor);
	struct transfer_slot *s = calloc(1, size);
	if (!s)
		return NULL;
	s->transfer.num_iso_packets = iso_packets;
	return &s->transfer;
}

STANDIN_EXPORT void libusb_free_transfer(struct libusb_transfer *transfer)
{
	if (!transfer)
		return;
	struct transfer_slot *s = slot_of(transfer);
	if (s->submitted) {
		warn("libusb_free_transfer on a transfer still in flight: ignored");
		return;
	}
	if ((transfer->flags & LIBUSB_TRANSFER_FREE_BUFFER) && transfer->buffer)
		free(transfer->buffer);
	free(s);
}

STANDIN_EXPORT int libusb_submit_transfer(struct libusb_transfer *transfer)
{
	if (!transfer || !transfer->dev_handle)
		return LIBUSB_ERROR_INVALID_PARAM;
	struct transfer_slot *s = slot_of(transfer);
	if (s->submitted)
		return LIBUSB_ERROR_BUSY;
	if (!have_device || sock_fd < 0)
		return LIBUSB_ERROR_NO_DEVICE;
	if (transfer->type != LIBUSB_TRANSFER_TYPE_BULK &&
	    transfer->type != LIBUSB_TRANSFER_TYPE_INTERRUPT &&
	    transfer->type != LIBUSB_TRANSFER_TYPE_CONTROL)
		return LIBUSB_ERROR_NOT_SUPPORTED;
	s->submitted = 1;
	s->cancelled = 0;
	s->next = NULL;
	transfer->actual_length = 0;
	if (queue_tail)
		queue_tail->next = s;
	else
		queue_head = s;
	queue_tail = s;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_cancel_transfer(struct libusb_transfer *transfer)
{
	if (!transfer)
		return LIBUSB_ERROR_INVALID_PARAM;
	struct transfer_slot *s = slot_of(transfer);
	if (!s->submitted || s->cancelled)
		return LIBUSB_ERROR_NOT_FOUND;
	s->cancelled = 1; /* completed with LIBUSB_TRANSFER_CANCELLED at the next event pass */
	return LIBUSB_SUCCESS;
}

static enum libusb_transfer_status status_of(int r)
{
	switch (r) {
	case 0:
		return LIBUSB_TRANSFER_COMPLETED;
	case LIBUSB_ERROR_TIMEOUT:
		return LIBUSB_TRANSFER_TIMED_OUT;
	case LIBUSB_ERROR_PIPE:
		return LIBUSB_TRANSFER_STALL;
	case LIBUSB_ERROR_NO_DEVICE:
		return LIBUSB_TRANSFER_NO_DEVICE;
	case LIBUSB_ERROR_OVERFLOW:
		return LIBUSB_TRANSFER_OVERFLOW;
	default:
		return LIBUSB_TRANSFER_ERROR;
	}
}

/* Perform the transfer at the head of the queue and run its callback. */
static void complete_head(void)
{
	struct transfer_slot *s = queue_head;
	queue_head = s->next;
	if (!queue_head)
		queue_tail = NULL;
	s->next = NULL;
	struct libusb_transfer *t = &s->transfer;
	if (s->cancelled) {
		t->status = LIBUSB_TRANSFER_CANCELLED;
		t->actual_length = 0;
	} else if (t->type == LIBUSB_TRANSFER_TYPE_CONTROL) {
		/* Setup packet in the first 8 bytes of the buffer (libusb_fill_control_setup). */
		struct libusb_control_setup *setup = (struct libusb_control_setup *)t->buffer;
		int r = libusb_control_transfer(t->dev_handle, setup->bmRequestType, setup->bRequest,
		                                libusb_le16_to_cpu(setup->wValue),
		                                libusb_le16_to_cpu(setup->wIndex),
		                                t->buffer + LIBUSB_CONTROL_SETUP_SIZE,
		                                libusb_le16_to_cpu(setup->wLength), t->timeout);
		t->status = status_of(r < 0 ? r : 0);
		t->actual_length = r < 0 ? 0 : r;
	} else {
		int actual = 0;
		int r = bulk(t->dev_handle, t->endpoint, t->buffer, t->length, &actual, t->timeout);
		t->actual_length = actual;
		t->status = status_of(r);
		if (r == 0 && (t->flags & LIBUSB_TRANSFER_SHORT_NOT_OK) && actual < t->length)
			t->status = LIBUSB_TRANSFER_ERROR;
	}
	s->submitted = 0;
	int free_after = (t->flags & LIBUSB_TRANSFER_FREE_TRANSFER) != 0;
	if (t->callback)
		t->callback(t);
	if (free_after)
		libusb_free_transfer(t);
}

/*
 * Run queued transfers, in submission order, until *completed becomes non-zero (when given)
 * or the queue is empty. With nothing queued there is nothing that could ever complete, so
 * rather than block for the timeout this waits one millisecond (to keep a caller's polling
 * loop from spinning hot) and returns.
 */
static int handle_events(int *completed)
{
	if (completed && *completed)
		return LIBUSB_SUCCESS;
	if (!queue_head) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
		return LIBUSB_SUCCESS;
	}
	while (queue_head) {
		complete_head();
		if (completed && *completed)
			break;
	}
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT int libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv,
                                                          int *completed)
{
	(void)ctx;
	(void)tv;
	return handle_events(completed);
}

STANDIN_EXPORT int libusb_handle_events_completed(libusb_context *ctx, int *completed)
{
	(void)ctx;
	return handle_events(completed);
}

STANDIN_EXPORT int libusb_handle_events_timeout(libusb_context *ctx, struct timeval *tv)
{
	(void)ctx;
	(void)tv;
	return handle_events(NULL);
}

STANDIN_EXPORT int libusb_handle_events(libusb_context *ctx)
{
	(void)ctx;
	return handle_events(NULL);
}

/* ---------------------------------------------------------------------------------------
 * Hotplug, options, capabilities: the virtual bus never changes while a program runs.
 * ------------------------------------------------------------------------------------- */
STANDIN_EXPORT int libusb_has_capability(uint32_t capability)
{
	return capability == LIBUSB_CAP_HAS_CAPABILITY;
}

STANDIN_EXPORT int libusb_hotplug_register_callback(libusb_context *ctx, int events, int flags,
                                                    int vendor_id, int product_id, int dev_class,
                                                    libusb_hotplug_callback_fn cb_fn, void *user_data,
                                                    libusb_hotplug_callback_handle *callback_handle)
{
	(void)ctx;
	(void)events;
	(void)flags;
	(void)vendor_id;
	(void)product_id;
	(void)dev_class;
	(void)cb_fn;
	(void)user_data;
	(void)callback_handle;
	return LIBUSB_ERROR_NOT_SUPPORTED;
}

STANDIN_EXPORT void libusb_hotplug_deregister_callback(libusb_context *ctx,
                                                       libusb_hotplug_callback_handle callback_handle)
{
	(void)ctx;
	(void)callback_handle;
}

STANDIN_EXPORT int libusb_set_option(libusb_context *ctx, enum libusb_option option, ...)
{
	(void)ctx;
	(void)option;
	return LIBUSB_SUCCESS;
}

STANDIN_EXPORT void libusb_set_debug(libusb_context *ctx, int level)
{
	(void)ctx;
	(void)level;
}

STANDIN_EXPORT const struct libusb_version *libusb_get_version(void)
{
	static const struct libusb_version v = { 1, 0, 26, 0, "-swim-studio-standin",
		"https://github.com/swim-studio/swim-studio" };
	return &v;
}

STANDIN_EXPORT int libusb_setlocale(const char *locale)
{
	(void)locale;
	return LIBUSB_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Error names: the enum identifiers themselves, and short English descriptions.
 * ------------------------------------------------------------------------------------- */
STANDIN_EXPORT const char *libusb_error_name(int errcode)
{
	switch (errcode) {
	case LIBUSB_SUCCESS: return "LIBUSB_SUCCESS";
	case LIBUSB_ERROR_IO: return "LIBUSB_ERROR_IO";
	case LIBUSB_ERROR_INVALID_PARAM: return "LIBUSB_ERROR_INVALID_PARAM";
	case LIBUSB_ERROR_ACCESS: return "LIBUSB_ERROR_ACCESS";
	case LIBUSB_ERROR_NO_DEVICE: return "LIBUSB_ERROR_NO_DEVICE";
	case LIBUSB_ERROR_NOT_FOUND: return "LIBUSB_ERROR_NOT_FOUND";
	case LIBUSB_ERROR_BUSY: return "LIBUSB_ERROR_BUSY";
	case LIBUSB_ERROR_TIMEOUT: return "LIBUSB_ERROR_TIMEOUT";
	case LIBUSB_ERROR_OVERFLOW: return "LIBUSB_ERROR_OVERFLOW";
	case LIBUSB_ERROR_PIPE: return "LIBUSB_ERROR_PIPE";
	case LIBUSB_ERROR_INTERRUPTED: return "LIBUSB_ERROR_INTERRUPTED";
	case LIBUSB_ERROR_NO_MEM: return "LIBUSB_ERROR_NO_MEM";
	case LIBUSB_ERROR_NOT_SUPPORTED: return "LIBUSB_ERROR_NOT_SUPPORTED";
	case LIBUSB_ERROR_OTHER: return "LIBUSB_ERROR_OTHER";
	default: return "**UNKNOWN**";
	}
}

STANDIN_EXPORT const char *libusb_strerror(int errcode)
{
	switch (errcode) {
	case LIBUSB_SUCCESS: return "Success";
	case LIBUSB_ERROR_IO: return "Input/output error on the virtual probe socket";
	case LIBUSB_ERROR_INVALID_PARAM: return "Invalid parameter";
	case LIBUSB_ERROR_ACCESS: return "Access denied";
	case LIBUSB_ERROR_NO_DEVICE: return "No such device (the virtual probe is gone)";
	case LIBUSB_ERROR_NOT_FOUND: return "Entity not found";
	case LIBUSB_ERROR_BUSY: return "Resource busy (another client holds the virtual probe)";
	case LIBUSB_ERROR_TIMEOUT: return "Operation timed out";
	case LIBUSB_ERROR_OVERFLOW: return "Overflow";
	case LIBUSB_ERROR_PIPE: return "Pipe error (endpoint stalled)";
	case LIBUSB_ERROR_INTERRUPTED: return "System call interrupted";
	case LIBUSB_ERROR_NO_MEM: return "Insufficient memory";
	case LIBUSB_ERROR_NOT_SUPPORTED: return "Operation not supported";
	case LIBUSB_ERROR_OTHER: return "Other error";
	default: return "Unknown error";
	}
}
