//! The page module's allocator (src/allocator.rs), natively: random
//! sequences of allocations, frees and reallocations over a test arena.
//! Every block must be aligned, inside memory the allocator was given, and
//! never overlap another live block (each holds its own byte pattern, checked
//! before it is freed or moved).

use posdoctor::allocator::{Memory, SizeClasses};
use proptest::prelude::*;
use std::alloc::Layout;
use std::cell::RefCell;

/// Regions handed out from one big buffer, like memory.grow but not
/// always contiguous (a gap after each region).
struct Arena {
    buffer: Vec<u64>,
    used: RefCell<usize>,
    regions: RefCell<Vec<(usize, usize)>>,
}

impl Arena {
    fn new(bytes: usize) -> Arena {
        Arena { buffer: vec![0; bytes / 8], used: RefCell::new(0), regions: RefCell::new(Vec::new()) }
    }
    fn base(&self) -> usize {
        self.buffer.as_ptr() as usize
    }
}

impl Memory for &Arena {
    fn grow(&self, bytes: usize) -> Option<(usize, usize)> {
        let len = bytes.div_ceil(65536).max(2) * 65536;
        let start = self.base() + (*self.used.borrow()).next_multiple_of(65536);
        let end = start + len;
        if end > self.base() + self.buffer.len() * 8 {
            return None;
        }
        *self.used.borrow_mut() = end - self.base() + 4096; // a gap: regions are not contiguous
        self.regions.borrow_mut().push((start, end));
        Some((start, len))
    }
}

#[derive(Debug, Clone)]
enum Op {
    Alloc { size: usize, align_shift: u32 },
    Free { pick: usize },
    Realloc { pick: usize, size: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop_oneof![1usize..64, 64usize..2000, 2000usize..70_000], 0u32..7)
            .prop_map(|(size, align_shift)| Op::Alloc { size, align_shift }),
        2 => any::<usize>().prop_map(|pick| Op::Free { pick }),
        2 => (any::<usize>(), prop_oneof![1usize..64, 64usize..5000, 5000usize..100_000])
            .prop_map(|(pick, size)| Op::Realloc { pick, size }),
    ]
}

struct Live {
    ptr: *mut u8,
    layout: Layout,
    tag: u8,
}

fn fill(b: &Live) {
    unsafe { std::ptr::write_bytes(b.ptr, b.tag, b.layout.size()) };
}

fn intact(b: &Live, len: usize) -> bool {
    unsafe { std::slice::from_raw_parts(b.ptr, len) }.iter().all(|&x| x == b.tag)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn blocks_are_aligned_inside_and_never_overlap(ops in proptest::collection::vec(op(), 1..300)) {
        let arena = Arena::new(64 << 20);
        let heap = SizeClasses::new(&arena);
        let mut live: Vec<Live> = Vec::new();
        let mut tag = 0u8;
        for op in ops {
            match op {
                Op::Alloc { size, align_shift } => {
                    let layout = Layout::from_size_align(size, 1 << align_shift).unwrap();
                    let ptr = heap.alloc(layout);
                    prop_assert!(!ptr.is_null());
                    prop_assert_eq!(ptr as usize % layout.align(), 0);
                    tag = tag.wrapping_add(1);
                    let block = Live { ptr, layout, tag };
                    fill(&block);
                    live.push(block);
                }
                Op::Free { pick } if !live.is_empty() => {
                    let block = live.swap_remove(pick % live.len());
                    prop_assert!(intact(&block, block.layout.size()), "a live block was overwritten");
                    unsafe { heap.dealloc(block.ptr, block.layout) };
                }
                Op::Realloc { pick, size } if !live.is_empty() => {
                    let i = pick % live.len();
                    let old = &live[i];
                    prop_assert!(intact(old, old.layout.size()));
                    let ptr = unsafe { heap.realloc(old.ptr, old.layout, size) };
                    prop_assert!(!ptr.is_null());
                    let moved = Live { ptr, layout: Layout::from_size_align(size, old.layout.align()).unwrap(), tag: old.tag };
                    prop_assert_eq!(ptr as usize % moved.layout.align(), 0);
                    prop_assert!(intact(&moved, old.layout.size().min(size)), "realloc kept the contents");
                    fill(&moved);
                    live[i] = moved;
                }
                _ => {}
            }
            // Every live block is intact and inside a region.
            let regions = arena.regions.borrow();
            for b in &live {
                let (start, end) = (b.ptr as usize, b.ptr as usize + b.layout.size());
                prop_assert!(regions.iter().any(|&(s, e)| s <= start && end <= e), "outside the memory given");
                prop_assert!(intact(b, b.layout.size()), "a live block was overwritten");
            }
        }
    }
}

#[test]
fn freed_blocks_are_reused_and_oversized_requests_fail() {
    let arena = Arena::new(8 << 20);
    let heap = SizeClasses::new(&arena);
    let layout = Layout::from_size_align(100, 8).unwrap();
    let a = heap.alloc(layout);
    unsafe { heap.dealloc(a, layout) };
    assert_eq!(heap.alloc(layout), a, "the freed block comes back");
    // Alignment beyond a page, or more memory than there is: null, no panic.
    assert!(heap.alloc(Layout::from_size_align(64, 8192).unwrap()).is_null());
    assert!(heap.alloc(Layout::from_size_align(16 << 20, 8).unwrap()).is_null());
    // Growing within the block's class keeps the block.
    let b = heap.alloc(Layout::from_size_align(40, 8).unwrap());
    assert_eq!(unsafe { heap.realloc(b, Layout::from_size_align(40, 8).unwrap(), 60) }, b);
}
