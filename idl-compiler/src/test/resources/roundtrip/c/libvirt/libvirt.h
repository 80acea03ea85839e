/* Stand-in for libvirt's public header, which remote_protocol.x %#includes: the constants its
 * XDR uses, with the values of libvirt 9.6.0 (as ../../../corpus/headers/libvirt-headers.x). */
#define VIR_UUID_BUFLEN 16
#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)
#define VIR_TYPED_PARAM_INT 1
#define VIR_TYPED_PARAM_UINT 2
#define VIR_TYPED_PARAM_LLONG 3
#define VIR_TYPED_PARAM_ULLONG 4
#define VIR_TYPED_PARAM_DOUBLE 5
#define VIR_TYPED_PARAM_BOOLEAN 6
#define VIR_TYPED_PARAM_STRING 7
