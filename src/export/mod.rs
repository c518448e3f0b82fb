pub mod docx;
pub mod raster;
