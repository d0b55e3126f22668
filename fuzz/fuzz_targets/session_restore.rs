#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| posdoctor_fuzz::session_restore(data));
