//! The window icon, drawn in code so that no image decoder is needed: a white key on a blue
//! rounded square. `assets/icon.svg` is the same drawing, for desktop files and installers.
//!
//! The shapes are defined on a 64 by 64 grid (the SVG's `viewBox`) and sampled 4 by 4 times per
//! pixel, which gives smooth edges at any size.

use iced::window::icon::{self, Icon};

/// Side of the generated icon in pixels: large enough for HiDPI title bars and task bars.
pub const SIZE: u32 = 128;

const BACKGROUND: [u8; 3] = [0x25, 0x63, 0xeb];
const FOREGROUND: [u8; 3] = [0xff, 0xff, 0xff];
const SAMPLES: u32 = 4;

/// The icon for [`iced::window::Settings::icon`].
pub fn window_icon() -> Option<Icon> {
    // Cannot fail (the buffer is built to size); an icon is not worth a crash if it ever did.
    icon::from_rgba(rgba(SIZE), SIZE, SIZE).ok()
}

/// The icon's pixels, `size` by `size`, as straight (not premultiplied) sRGB RGBA.
pub fn rgba(size: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    let scale = 64.0 / size as f32;
    let total = (SAMPLES * SAMPLES) as f32;

    for py in 0..size {
        for px in 0..size {
            let (mut background, mut key) = (0u32, 0u32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = (px as f32 + (sx as f32 + 0.5) / SAMPLES as f32) * scale;
                    let y = (py as f32 + (sy as f32 + 0.5) / SAMPLES as f32) * scale;
                    if in_background(x, y) {
                        background += 1;
                        if in_key(x, y) {
                            key += 1;
                        }
                    }
                }
            }
            let alpha = background as f32 / total;
            let white = if background == 0 {
                0.0
            } else {
                key as f32 / background as f32
            };
            for channel in 0..3 {
                let mixed =
                    BACKGROUND[channel] as f32 * (1.0 - white) + FOREGROUND[channel] as f32 * white;
                pixels.push(mixed.round() as u8);
            }
            pixels.push((alpha * 255.0).round() as u8);
        }
    }
    pixels
}

/// `<rect x="4" y="4" width="56" height="56" rx="12"/>`
fn in_background(x: f32, y: f32) -> bool {
    in_rounded_rect(x, y, (4.0, 4.0, 60.0, 60.0), 12.0)
}

/// The key: a ring (bow), a shaft to the right and two teeth hanging from it.
fn in_key(x: f32, y: f32) -> bool {
    let ring = {
        let d = ((x - 22.0).powi(2) + (y - 32.0).powi(2)).sqrt();
        (5.0..=11.0).contains(&d)
    };
    let shaft = in_rect(x, y, (31.0, 29.0, 52.0, 35.0));
    let tooth_near = in_rect(x, y, (40.0, 35.0, 44.0, 41.0));
    let tooth_far = in_rect(x, y, (47.0, 35.0, 52.0, 44.0));
    ring || shaft || tooth_near || tooth_far
}

fn in_rect(x: f32, y: f32, (left, top, right, bottom): (f32, f32, f32, f32)) -> bool {
    (left..=right).contains(&x) && (top..=bottom).contains(&y)
}

fn in_rounded_rect(x: f32, y: f32, rect: (f32, f32, f32, f32), radius: f32) -> bool {
    let (left, top, right, bottom) = rect;
    if !in_rect(x, y, rect) {
        return false;
    }
    let cx = x.clamp(left + radius, right - radius);
    let cy = y.clamp(top + radius, bottom - radius);
    (x - cx).powi(2) + (y - cy).powi(2) <= radius * radius
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    }

    #[test]
    fn corners_are_transparent_and_the_key_is_white_on_blue() {
        let rgba = rgba(64);
        assert_eq!(rgba.len(), 64 * 64 * 4);
        assert_eq!(
            pixel(&rgba, 64, 0, 0)[3],
            0,
            "corner outside the rounded square"
        );
        assert_eq!(pixel(&rgba, 64, 5, 5)[3], 0, "corner cut by the rounding");
        assert_eq!(
            pixel(&rgba, 64, 32, 10),
            [0x25, 0x63, 0xeb, 0xff],
            "plain background"
        );
        assert_eq!(
            pixel(&rgba, 64, 40, 31),
            [0xff, 0xff, 0xff, 0xff],
            "on the shaft"
        );
        assert_eq!(
            pixel(&rgba, 64, 21, 31),
            [0x25, 0x63, 0xeb, 0xff],
            "hole of the ring"
        );
    }

    #[test]
    fn window_icon_builds() {
        assert!(window_icon().is_some());
    }
}
