//! The page module's memory allocator: power-of-two size classes, one free
//! list each, memory from `memory.grow`. The page allocates little and
//! briefly (the strings of a view, the saved-progress text), and wasm
//! memory never shrinks anyway; the general-purpose allocator Rust brings
//! (dlmalloc) costs about 2 KB brotli more on every first visit.
//!
//! Every block of class k is 2^k bytes (at least 16) and starts at a
//! multiple of min(2^k, 4096), so a block serves any request whose size and
//! alignment fit the class. A freed block goes on its class's list and is
//! reused by the next request of that class. Generic over where memory
//! comes from, so the native tests can check it without a browser.

use std::alloc::Layout;
use std::cell::Cell;

/// Classes 2^4 … 2^31: 16 bytes to 2 GiB (wasm32's address space is 4 GiB).
const MIN_SHIFT: u32 = 4;
const CLASSES: usize = 28;
/// The largest alignment a block guarantees.
const MAX_ALIGN: usize = 4096;

/// Where fresh memory comes from.
pub trait Memory {
    /// At least `bytes` more bytes: the start of a fresh region and its
    /// length, or `None` when there is no more memory.
    fn grow(&self, bytes: usize) -> Option<(usize, usize)>;
}

pub struct SizeClasses<M> {
    /// Heads of the free lists: the address of the first free block, 0 if
    /// none; each free block holds the address of the next.
    free: [Cell<usize>; CLASSES],
    /// The unused part of the last region grown: [top, end).
    top: Cell<usize>,
    end: Cell<usize>,
    memory: M,
}

// The wasm32-unknown-unknown page is single-threaded.
unsafe impl<M> Sync for SizeClasses<M> {}

impl<M: Memory> SizeClasses<M> {
    pub const fn new(memory: M) -> SizeClasses<M> {
        #[allow(clippy::declare_interior_mutable_const)]
        const EMPTY: Cell<usize> = Cell::new(0);
        SizeClasses { free: [EMPTY; CLASSES], top: Cell::new(0), end: Cell::new(0), memory }
    }

    /// The class that holds `layout`, if any.
    fn class(layout: Layout) -> Option<usize> {
        if layout.align() > MAX_ALIGN {
            return None;
        }
        let need = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
        let shift = usize::BITS - (need - 1).leading_zeros();
        let class = (shift - MIN_SHIFT) as usize;
        (class < CLASSES).then_some(class)
    }

    fn block_size(class: usize) -> usize {
        1 << (class as u32 + MIN_SHIFT)
    }

    pub fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = Self::class(layout) else { return std::ptr::null_mut() };
        let head = self.free[class].get();
        if head != 0 {
            // SAFETY: a free block of this class, which holds the next one's address.
            self.free[class].set(unsafe { *(head as *const usize) });
            return head as *mut u8;
        }
        let size = Self::block_size(class);
        let align = size.min(MAX_ALIGN);
        let mut start = self.top.get().next_multiple_of(align);
        if start.checked_add(size).is_none_or(|end| end > self.end.get()) {
            // A new region (the rest of the old one is left unused).
            let Some((region, len)) = self.memory.grow(size + align) else { return std::ptr::null_mut() };
            self.top.set(region);
            self.end.set(region + len);
            start = region.next_multiple_of(align);
        }
        self.top.set(start + size);
        start as *mut u8
    }

    /// # Safety
    /// `ptr` came from `alloc` (or `realloc`) with this `layout`.
    pub unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = Self::class(layout) {
            // SAFETY: the block is ours again and at least 16 bytes long.
            unsafe { *(ptr as *mut usize) = self.free[class].get() };
            self.free[class].set(ptr as usize);
        }
    }

    /// # Safety
    /// `ptr` came from `alloc` with `layout`; `new_size` is not zero.
    pub unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return std::ptr::null_mut() };
        if Self::class(layout) == Self::class(new_layout) {
            return ptr; // the block already fits
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            // SAFETY: both blocks are live and hold at least the smaller size.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

/// The page module's linear memory.
#[cfg(target_arch = "wasm32")]
pub struct WasmMemory;

#[cfg(target_arch = "wasm32")]
impl Memory for WasmMemory {
    fn grow(&self, bytes: usize) -> Option<(usize, usize)> {
        const PAGE: usize = 65536;
        // At least 1 MiB at a time: few grows, little left unused.
        let pages = bytes.div_ceil(PAGE).max(16);
        let old = core::arch::wasm32::memory_grow(0, pages);
        (old != usize::MAX).then(|| (old * PAGE, pages * PAGE))
    }
}

#[cfg(target_arch = "wasm32")]
unsafe impl std::alloc::GlobalAlloc for SizeClasses<WasmMemory> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        SizeClasses::alloc(self, layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { SizeClasses::dealloc(self, ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { SizeClasses::realloc(self, ptr, layout, new_size) }
    }
}

// The page and extractor modules only: the validator module, which parses
// JSON into many small values, keeps Rust's own allocator.
#[cfg(all(target_arch = "wasm32", any(feature = "page", feature = "extractor")))]
#[global_allocator]
static ALLOCATOR: SizeClasses<WasmMemory> = SizeClasses::new(WasmMemory);
