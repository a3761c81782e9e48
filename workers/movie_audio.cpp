// workers/movie_audio.cpp: the audio side of the movies Slate writes (movie_encode.h): the
// AAC track, the conversion of decoded sound to it, and the audio path of a normalisation.
#include "workers/movie_encode.h"

#include "engine/log.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace slate::workers {
namespace {

constexpr int64_t aac_bitrate = 128'000; // FFmpeg's default for AAC in MP4, as Zou gets it
constexpr int silent_sample_rate = 44'100;

/// The rate AAC takes nearest to `wanted`.
int nearest_aac_rate(const AVCodec* codec, int wanted) {
    if (!codec->supported_samplerates)
        return wanted;
    int best = codec->supported_samplerates[0];
    for (const int* rate = codec->supported_samplerates; *rate; ++rate)
        if (std::abs(*rate - wanted) < std::abs(best - wanted))
            best = *rate;
    return best;
}

/// An empty planar-float frame of `samples` in the encoder's layout.
av::Frame sound_frame(const AVCodecContext* encoder, int samples) {
    av::Frame frame = av::make_frame();
    frame->format = encoder->sample_fmt;
    frame->sample_rate = encoder->sample_rate;
    frame->nb_samples = samples;
    av::check(av_channel_layout_copy(&frame->ch_layout, &encoder->ch_layout), "audio layout");
    av::check(av_frame_get_buffer(frame.get(), 0), "audio buffer");
    return frame;
}

} // namespace

// ---- AacTrack ---------------------------------------------------------------------------

AacTrack::AacTrack(Muxer& muxer, int sample_rate, const AVChannelLayout& layout)
    : m_muxer(muxer), m_chunk(av::make_frame()) {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        throw av::Failure("the AAC encoder is not available");
    m_encoder.reset(avcodec_alloc_context3(codec));
    if (!m_encoder)
        throw std::bad_alloc();
    m_encoder->sample_fmt = AV_SAMPLE_FMT_FLTP;
    m_encoder->sample_rate = nearest_aac_rate(codec, sample_rate);
    av::check(av_channel_layout_copy(&m_encoder->ch_layout, &layout), "audio layout");
    m_encoder->bit_rate = aac_bitrate;
    m_encoder->time_base = {1, m_encoder->sample_rate};
    m_encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(m_encoder.get(), codec, nullptr), "the AAC encoder cannot be opened");
    m_out = m_muxer.add_stream(m_encoder.get());
    m_fifo.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, layout.nb_channels, m_encoder->frame_size * 4));
    if (!m_fifo)
        throw std::bad_alloc();
}

int64_t AacTrack::end() const {
    return m_next_pts + av_audio_fifo_size(m_fifo.get());
}

void AacTrack::push(uint8_t* const* planes, int samples) {
    if (samples <= 0)
        return;
    av::check(av_audio_fifo_write(m_fifo.get(), reinterpret_cast<void**>(const_cast<uint8_t**>(planes)), samples),
              "audio buffer");
    encode_waiting(false);
}

void AacTrack::push_silence(int64_t samples) {
    while (samples > 0) {
        const int count = static_cast<int>(std::min<int64_t>(samples, 1 << 16));
        av::Frame silence = sound_frame(m_encoder.get(), count);
        av_samples_set_silence(silence->extended_data, 0, count, silence->ch_layout.nb_channels, m_encoder->sample_fmt);
        push(silence->extended_data, count);
        samples -= count;
    }
}

void AacTrack::finish() {
    encode_waiting(true); // AAC takes a short last frame
    encode(nullptr);
}

void AacTrack::encode_waiting(bool final) {
    const int frame_size = m_encoder->frame_size;
    for (;;) {
        const int available = av_audio_fifo_size(m_fifo.get());
        if (available <= 0 || (available < frame_size && !final))
            return;
        const int samples = std::min(available, frame_size);
        av_frame_unref(m_chunk.get());
        m_chunk->format = m_encoder->sample_fmt;
        m_chunk->sample_rate = m_encoder->sample_rate;
        m_chunk->nb_samples = samples;
        av::check(av_channel_layout_copy(&m_chunk->ch_layout, &m_encoder->ch_layout), "audio layout");
        av::check(av_frame_get_buffer(m_chunk.get(), 0), "audio buffer");
        av::check(av_audio_fifo_read(m_fifo.get(), reinterpret_cast<void**>(m_chunk->data), samples), "audio buffer");
        m_chunk->pts = m_next_pts;
        m_next_pts += samples;
        encode(m_chunk.get());
    }
}

void AacTrack::encode(AVFrame* frame) {
    av::check(avcodec_send_frame(m_encoder.get(), frame), "the AAC encoder failed");
    av::Packet packet = av::make_packet();
    for (;;) {
        const int code = avcodec_receive_packet(m_encoder.get(), packet.get());
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return;
        av::check(code, "the AAC encoder failed");
        m_muxer.write(packet.get(), m_encoder->time_base, m_out);
    }
}

// ---- SoundConverter ---------------------------------------------------------------------

SoundConverter::~SoundConverter() {
    av_channel_layout_uninit(&m_layout);
}

av::Frame SoundConverter::convert(const AVFrame* decoded) {
    if (decoded && (!m_resampler || decoded->sample_rate != m_rate || decoded->format != m_format ||
                    av_channel_layout_compare(&decoded->ch_layout, &m_layout) != 0)) {
        // A new input format: what the old conversion holds is lost (a few samples at most).
        SwrContext* raw = nullptr;
        av::check(swr_alloc_set_opts2(&raw, const_cast<AVChannelLayout*>(&m_encoder->ch_layout), m_encoder->sample_fmt,
                                      m_encoder->sample_rate, const_cast<AVChannelLayout*>(&decoded->ch_layout),
                                      static_cast<AVSampleFormat>(decoded->format), decoded->sample_rate, 0, nullptr),
                  "the audio resampler cannot be made");
        m_resampler.reset(raw);
        av::check(swr_init(m_resampler.get()), "the audio resampler cannot be set up");
        av_channel_layout_uninit(&m_layout);
        av::check(av_channel_layout_copy(&m_layout, &decoded->ch_layout), "audio layout");
        m_rate = decoded->sample_rate;
        m_format = decoded->format;
    }
    if (!m_resampler)
        return av::make_frame();
    const int in_samples = decoded ? decoded->nb_samples : 0;
    const int room = swr_get_out_samples(m_resampler.get(), in_samples);
    if (room <= 0)
        return av::make_frame();
    av::Frame converted = sound_frame(m_encoder, room);
    converted->nb_samples =
        av::check(swr_convert(m_resampler.get(), converted->extended_data, room,
                              decoded ? const_cast<const uint8_t**>(decoded->extended_data) : nullptr, in_samples),
                  "the audio cannot be resampled");
    return converted;
}

// ---- AudioPath ----------------------------------------------------------------------------

AudioPath::AudioPath(const AVFormatContext* input, const AVStream* stream, const AVCodecContext* decoder,
                     Muxer& muxer)
    : m_input(input), m_stream(stream) {
    // FFmpeg's AAC encoder takes 1 to 6 channels, and 8 (a 7-channel input is folded to 6).
    AVChannelLayout layout{};
    const int channels = decoder->ch_layout.nb_channels;
    if (channels == 7)
        layout = AV_CHANNEL_LAYOUT_5POINT1_BACK;
    else if (channels < 1 || channels > 8)
        layout = AV_CHANNEL_LAYOUT_STEREO;
    else if (decoder->ch_layout.order == AV_CHANNEL_ORDER_NATIVE)
        av::check(av_channel_layout_copy(&layout, &decoder->ch_layout), "audio layout");
    else
        av_channel_layout_default(&layout, channels);
    const int rate = decoder->sample_rate > 0 ? decoder->sample_rate : silent_sample_rate;
    m_track.emplace(muxer, rate, layout);
    av_channel_layout_uninit(&layout);
    m_converter.emplace(m_track->encoder());
}

AudioPath::AudioPath(Muxer& muxer) {
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    m_track.emplace(muxer, silent_sample_rate, stereo);
}

void AudioPath::push(const AVFrame* decoded) {
    if (m_converter && decoded)
        queue(decoded);
}

void AudioPath::queue(const AVFrame* decoded) {
    if (!m_started && decoded) {
        // Where the sound starts relative to the movie: later is a pts offset (the MP4 gets
        // an edit list), earlier is dropped.
        const double seconds = av::frame_seconds(decoded, m_stream, m_input);
        const int64_t offset = std::llround(seconds * m_track->encoder()->sample_rate);
        if (offset > 0)
            m_track->start_at(offset);
        else
            m_skip = -offset;
        m_started = true;
    }
    const av::Frame converted = m_converter->convert(decoded);
    const int64_t skipped = std::min<int64_t>(m_skip, converted->nb_samples);
    m_skip -= skipped;
    if (converted->nb_samples > skipped) {
        // The first samples of a frame are dropped by pushing only the rest.
        std::vector<uint8_t*> planes(converted->ch_layout.nb_channels);
        for (size_t channel = 0; channel < planes.size(); ++channel)
            planes[channel] = converted->extended_data[channel] + skipped * sizeof(float);
        m_track->push(planes.data(), static_cast<int>(converted->nb_samples - skipped));
    }
}

void AudioPath::fill_silence(double seconds) {
    const int64_t target = std::llround(seconds * m_track->encoder()->sample_rate);
    if (target > m_track->end())
        m_track->push_silence(target - m_track->end());
}

void AudioPath::finish(double end_seconds) {
    if (m_converter) {
        queue(nullptr); // what the conversion still holds
    } else {
        fill_silence(end_seconds); // -shortest: the silence ends with the video
    }
    m_track->finish();
    if (m_converter && !m_started)
        log::debug("movie: the audio stream holds no decodable sound; the track is empty");
}

} // namespace slate::workers
