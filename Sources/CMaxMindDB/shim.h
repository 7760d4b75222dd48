#ifndef TOURNIQUET_CMAXMINDDB_SHIM_H
#define TOURNIQUET_CMAXMINDDB_SHIM_H
#include <maxminddb.h>

/* MMDB_get_value is variadic; Swift cannot call it. This looks up country.iso_code. */
static inline int tq_mmdb_country(MMDB_lookup_result_s *result, char *out, size_t size) {
    MMDB_entry_data_s data;
    int status = MMDB_get_value(&result->entry, &data, "country", "iso_code", NULL);
    if (status != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) return 0;
    size_t n = data.data_size < size - 1 ? data.data_size : size - 1;
    for (size_t i = 0; i < n; i++) out[i] = data.utf8_string[i];
    out[n] = 0;
    return 1;
}
#endif
