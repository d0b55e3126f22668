#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| posdoctor_fuzz::extract(data));
